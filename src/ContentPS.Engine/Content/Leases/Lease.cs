using System.Text;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content.Leases;

/// <summary>
/// A set of content (and ingests) that a running operation needs, which the garbage collector keeps while
/// the lease is alive: while this object is not disposed and its process lives (the lease holds an OS lock
/// that dies with the process). Adds are written to the lease's file before they return, under the shared
/// garbage-collection lock, so a collection either sees them or runs entirely before them.
/// Dispose (or <see cref="DeleteAsync"/>) removes the lease. Safe to use from several threads.
/// </summary>
public sealed class Lease : IAsyncDisposable, IDisposable
{
    private readonly string _root;
    private readonly string _directory;
    private readonly FileLock _lock;
    private readonly FileStream _resources;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<Digest> _content = [];
    private readonly HashSet<string> _ingests = new(StringComparer.Ordinal);
    private bool _deleted;

    internal Lease(string root, string directory, string id, DateTimeOffset createdAt, IReadOnlyDictionary<string, string> labels, FileLock held, FileStream resources)
    {
        _root = root;
        _directory = directory;
        Id = id;
        CreatedAt = createdAt;
        Labels = labels;
        _lock = held;
        _resources = resources;
    }

    public string Id { get; }

    public DateTimeOffset CreatedAt { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>When the lease expires (its <c>containerd.io/gc.expire</c> label), or null.</summary>
    public DateTimeOffset? ExpiresAt => LeaseFiles.ExpiryOf(Labels);

    /// <summary>Protects <paramref name="digest"/>. Call it BEFORE checking for or writing that content.</summary>
    public Task AddAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return AddAsync([digest], cancellationToken);
    }

    /// <summary>Protects every digest of <paramref name="digests"/> with one write.</summary>
    public async Task AddAsync(IEnumerable<Digest> digests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digests);
        var list = digests.ToList();
        foreach (var digest in list)
        {
            ArgumentNullException.ThrowIfNull(digest, nameof(digests));
            digest.EnsureStorable();
        }
        await AppendAsync(list, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps the ingest of <paramref name="reference"/> from being removed as stale while the lease lives.</summary>
    public Task AddIngestAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        return AppendAsync([], [StoreLayout.IngestKey(reference)], cancellationToken);
    }

    /// <summary>The digests added so far.</summary>
    public IReadOnlyCollection<Digest> Content
    {
        get
        {
            _gate.Wait();
            try
            {
                return _content.ToList();
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private async Task AppendAsync(List<Digest> digests, List<string> ingestKeys, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_deleted, this);
            var text = new StringBuilder();
            foreach (var digest in digests.Where(d => !_content.Contains(d)).Distinct()) text.Append(LeaseFiles.ContentLine(digest));
            foreach (var key in ingestKeys.Where(k => !_ingests.Contains(k)).Distinct()) text.Append(LeaseFiles.IngestLine(key));
            if (text.Length == 0) return;

            using (await GcLock.AcquireSharedAsync(_root, cancellationToken).ConfigureAwait(false))
            {
                // Under the shared lock no collection runs, so this check and the append are one step for it.
                if (!Directory.Exists(_directory)) throw LeaseFiles.Gone(Id);
                // No fsync: a lease matters only while its process lives; page-cache writes are visible to
                // every other process at once, and after a machine crash the lease is dead anyway.
                _resources.Write(Encoding.UTF8.GetBytes(text.ToString()));
                _resources.Flush();
            }
            foreach (var digest in digests) _content.Add(digest);
            foreach (var key in ingestKeys) _ingests.Add(key);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes the lease; what it protected is garbage from now on unless something else refers to it.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DeleteCore();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void DeleteCore()
    {
        if (_deleted) return;
        _deleted = true;
        _resources.Dispose();
        // Renamed aside while we still hold the lock, so no one sees a dead lease of this id in between.
        LeaseFiles.Remove(_directory);
        _lock.Dispose();
        if (Directory.Exists(_directory)) LeaseFiles.Remove(_directory); // Windows: the lock file kept it in place
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            DeleteCore();
        }
        finally
        {
            _gate.Release();
        }
    }
}
