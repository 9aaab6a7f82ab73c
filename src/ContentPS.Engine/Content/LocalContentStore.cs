using System.Runtime.CompilerServices;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Filters;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>
/// containerd's local content store on an OCI image layout, safe for many processes: committed blobs under
/// <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c> (read-only, atomically renamed in), in-progress writes under
/// <c>ingest/&lt;sha256(ref)&gt;.*</c> guarded by OS locks (<see cref="IngestLocking"/>), labels in an <see cref="ILabelStore"/>.
/// The store keeps no state in memory: two instances on one root, in one process or several, see the same store.
/// </summary>
public sealed class LocalContentStore : IContentStore
{
    private static readonly string[] WalkedAlgorithms = [Digest.Sha256, Digest.Sha512];

    private readonly StoreLayout _layout;
    private readonly ILabelStore _labels;
    private readonly IngestLocking _locking;

    /// <summary>Opens (or creates) the store at <paramref name="root"/> with labels in <paramref name="labels"/>.</summary>
    public LocalContentStore(string root, ILabelStore labels)
        : this(StoreLayout.OpenOrCreate(root), labels)
    {
    }

    public LocalContentStore(StoreLayout layout, ILabelStore labels)
        : this(layout, labels, lockFilePerIngest: false)
    {
    }

    /// <summary>With <paramref name="lockFilePerIngest"/>, the lock files of systems without byte-range locks (for tests).</summary>
    internal LocalContentStore(StoreLayout layout, ILabelStore labels, bool lockFilePerIngest)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(labels);
        _layout = layout;
        _labels = labels;
        _locking = IngestLocking.For(layout, lockFilePerIngest);
    }

    /// <summary>Opens (or creates) the store at <paramref name="root"/> (default: <see cref="StoreLocation.DefaultRoot"/>) with its file label store.</summary>
    public static LocalContentStore Open(string? root = null)
    {
        var layout = StoreLayout.OpenOrCreate(root ?? StoreLocation.DefaultRoot());
        return new LocalContentStore(layout, new FileLabelStore(layout.Root));
    }

    public string Root => _layout.Root;

    public StoreLayout Layout => _layout;

    /// <summary>True when the blob <paramref name="digest"/> is committed: a stat, never an exception for a missing blob.</summary>
    public bool Contains(Digest digest) => File.Exists(BlobPath(digest));

    public async Task<ContentInfo> InfoAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(BlobPath(digest));
        if (!file.Exists)
        {
            throw BlobNotFound(digest);
        }
        var labels = await _labels.GetAsync(digest, cancellationToken).ConfigureAwait(false);
        return ToInfo(digest, file, labels);
    }

    public async Task<ContentInfo> UpdateAsync(ContentInfo info, IReadOnlyList<string>? fieldPaths = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        var file = new FileInfo(BlobPath(info.Digest));
        if (!file.Exists)
        {
            throw BlobNotFound(info.Digest);
        }
        var labels = await _labels.UpdateAsync(info.Digest, info.Labels, fieldPaths, cancellationToken).ConfigureAwait(false);
        return ToInfo(info.Digest, file, labels);
    }

    public async IAsyncEnumerable<ContentInfo> WalkAsync(IReadOnlyList<string>? filters = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = Filter.Parse(filters);
        foreach (var algorithm in WalkedAlgorithms)
        {
            var directory = Path.Combine(_layout.BlobsDirectory, algorithm);
            if (!Directory.Exists(directory)) continue;
            foreach (var path in Directory.EnumerateFiles(directory))
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Temp files, editor leftovers and anything else that is not a valid digest are not blobs.
                if (!Digest.TryParse(algorithm + ":" + Path.GetFileName(path), out var digest)) continue;
                var file = new FileInfo(path);
                if (!file.Exists) continue; // deleted meanwhile
                var labels = await _labels.GetAsync(digest, cancellationToken).ConfigureAwait(false);
                var info = ToInfo(digest, file, labels);
                if (filter.Match(ContentFieldAdaptors.For(info)))
                {
                    yield return info;
                }
            }
        }
    }

    public async Task DeleteAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var path = BlobPath(digest);
        if (!File.Exists(path))
        {
            throw BlobNotFound(digest);
        }
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }
        File.Delete(path);
        AtomicFile.SyncDirectory(Path.GetDirectoryName(path)!);
        await _labels.RemoveAsync(digest, cancellationToken).ConfigureAwait(false);
    }

    public Task<IContentReader> OpenReaderAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var path = BlobPath(digest);
        try
        {
            return Task.FromResult<IContentReader>(LocalContentReader.Open(path));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw BlobNotFound(digest, ex);
        }
    }

    public async Task<IContentWriter> OpenWriterAsync(string reference, long expectedSize = 0, Digest? expectedDigest = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(reference))
        {
            throw new InvalidArgumentException("ref must not be empty", ErrorIds.InvalidIngestRef) { Target = reference };
        }
        if (expectedSize < 0)
        {
            throw new InvalidArgumentException($"ref {reference}: expected size {expectedSize} is negative", ErrorIds.InvalidSize) { Target = reference };
        }
        if (expectedDigest is not null && File.Exists(BlobPath(expectedDigest)))
        {
            throw LocalContentWriter.Exists(expectedDigest);
        }
        cancellationToken.ThrowIfCancellationRequested();

        var files = IngestFiles.Of(_layout, reference);
        var held = _locking.TryAcquire(files, reference) ?? throw Locked(reference, files);
        try
        {
            // Again under the lock: the writer we waited for may have committed just before releasing it.
            if (expectedDigest is not null && File.Exists(BlobPath(expectedDigest)))
            {
                // A partial write of content that is there is worth nothing.
                files.Delete();
                held.ReleaseFinished();
                throw LocalContentWriter.Exists(expectedDigest);
            }
            return await LocalContentWriter.OpenAsync(_layout, _labels, reference, files, held, expectedSize, expectedDigest, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    public Task<IngestStatus> StatusAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var files = IngestFiles.Of(_layout, reference);
        var status = StatusOf(files);
        if (status is null || !string.Equals(status.Ref, reference, StringComparison.Ordinal))
        {
            throw IngestNotFound(reference);
        }
        return Task.FromResult(status);
    }

    public Task<IReadOnlyList<IngestStatus>> ListStatusesAsync(IReadOnlyList<string>? filters = null, CancellationToken cancellationToken = default)
    {
        var filter = Filter.Parse(filters);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var record in Directory.EnumerateFiles(_layout.IngestDirectory, "*" + IngestFiles.RecordExtension))
            {
                keys.Add(Path.GetFileNameWithoutExtension(record));
            }
        }
        catch (DirectoryNotFoundException)
        {
        }
        foreach (var (key, _) in OpenIngests.In(_layout.IngestDirectory))
        {
            keys.Add(key);
        }

        var statuses = new List<IngestStatus>();
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Only files named by a ref's hash are ingests (not temp files, not strays).
            if (!IngestFiles.IsKey(key)) continue;
            var status = StatusOf(IngestFiles.OfKey(_layout, key));
            if (status is null || StoreLayout.IngestKey(status.Ref) != key) continue;
            if (filter.Match(ContentFieldAdaptors.For(status)))
            {
                statuses.Add(status);
            }
        }
        statuses.Sort((a, b) => string.CompareOrdinal(a.Ref, b.Ref));
        return Task.FromResult<IReadOnlyList<IngestStatus>>(statuses);
    }

    public Task AbortAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var files = IngestFiles.Of(_layout, reference);
        if (!File.Exists(files.Data) && !File.Exists(files.Record))
        {
            throw IngestNotFound(reference);
        }
        var held = _locking.TryAcquire(files, reference) ?? throw Locked(reference, files);
        var removed = false;
        try
        {
            var record = IngestRecord.Read(files);
            if (record is not null && !string.Equals(record.Ref, reference, StringComparison.Ordinal))
            {
                throw IngestNotFound(reference); // another ref with the same hash: not ours to remove
            }
            files.Delete();
            removed = true;
        }
        finally
        {
            if (removed) held.ReleaseFinished();
            else held.Dispose();
        }
        IngestLeftovers.Sweep(_layout.IngestDirectory);
        return Task.CompletedTask;
    }

    /// <summary>The status of an ingest: from its open writer in this process, else from its record; null when neither.</summary>
    private IngestStatus? StatusOf(IngestFiles files)
    {
        if (OpenIngests.Find(files) is { } writer) return writer.Status();
        return IngestRecord.Read(files)?.ToStatus(_locking.IsHeld(files));
    }

    private UnavailableException Locked(string reference, IngestFiles files)
    {
        var holder = OpenIngests.Find(files)?.Holder ?? _locking.Holder(files);
        if (holder is null && IngestRecord.Read(files) is { HolderSince: { } since } record)
        {
            holder = (since, record.HolderProcessId);
        }
        return IngestLockedError.For(reference, holder);
    }

    private string BlobPath(Digest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return _layout.BlobPath(digest);
    }

    private static ContentInfo ToInfo(Digest digest, FileInfo file, LabelSet labels)
    {
        var created = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        var updated = labels.UpdatedAt is { } labelled && labelled > created ? labelled : created;
        return new ContentInfo
        {
            Digest = digest,
            Size = file.Length,
            CreatedAt = created,
            UpdatedAt = updated,
            Labels = labels.Labels,
        };
    }

    private static NotFoundException BlobNotFound(Digest digest, Exception? inner = null) =>
        new($"content {digest}: not found", ErrorIds.BlobNotFound, inner) { Target = digest.ToString() };

    private static NotFoundException IngestNotFound(string reference) =>
        new($"ingest ref {reference}: not found", ErrorIds.IngestNotFound) { Target = reference };
}
