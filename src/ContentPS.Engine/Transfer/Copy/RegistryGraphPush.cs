using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>
/// Writes a <see cref="CopyPlan"/> into a registry repository, children before parents: a manifest
/// or index the destination has already (HEAD by digest) is not descended into; otherwise its
/// children are pushed, all at once, then it; blobs by <see cref="RegistryBlobPush"/>. Requests run at
/// most <c>maxConcurrency</c> at once; a slot is held only for a request, never while waiting for children. Each digest is
/// handled once. The first failure cancels the rest and is thrown once everything has stopped.
/// </summary>
internal sealed class RegistryGraphPush
{
    private readonly RegistryClient _client;
    private readonly ImageReference _destination;
    private readonly RegistryBlobPush _blobPush;
    private readonly CopyPlan _plan;
    private readonly ITransferTracker _tracker;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<Digest, Lazy<Task>> _visits = new();
    private readonly ConcurrentDictionary<Digest, BlobPushResult> _blobs = new();
    private readonly ConcurrentDictionary<Digest, bool> _manifests = new();
    private long _bytesUploaded;
    private ExceptionDispatchInfo? _firstError;

    public RegistryGraphPush(RegistryClient client, ImageReference destination, ICopySource source, CopyPlan plan, ITransferTracker tracker, int maxConcurrency)
    {
        _client = client;
        _destination = destination;
        _blobPush = new RegistryBlobPush(client, destination, source, tracker);
        _plan = plan;
        _tracker = tracker;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
    }

    /// <summary>Blobs (configs, layers) and how each got there; under a manifest that existed: Existed, unasked.</summary>
    public IReadOnlyList<BlobPushResult> Blobs => _blobs.Values.ToList();

    public int ManifestsPushed => _manifests.Count(m => m.Value);

    public int ManifestsExisted => _manifests.Count(m => !m.Value);

    public long BytesUploaded => Interlocked.Read(ref _bytesUploaded) + _blobPush.BytesUploaded;

    /// <summary>
    /// Pushes the graph. The root is written with each of <paramref name="tags"/> in order (by digest when
    /// there are none), last; when the destination has the root already, only the tags are written.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await VisitAsync(_plan.Root.Digest, tags, cancellation).ConfigureAwait(false);
        }
        catch (Exception) when (_firstError is not null)
        {
            // the first error is the one to report
        }

        _firstError?.Throw();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private Task VisitAsync(Digest digest, IReadOnlyList<string>? rootTags, CancellationTokenSource cancellation) =>
        _visits.GetOrAdd(digest, d => new Lazy<Task>(() => GuardAsync(_plan[d], rootTags, cancellation))).Value;

    private async Task GuardAsync(CopyNode node, IReadOnlyList<string>? rootTags, CancellationTokenSource cancellation)
    {
        try
        {
            await (node.IsManifest ? PushManifestAsync(node, rootTags, cancellation) : PushBlobAsync(node.Descriptor, cancellation.Token)).ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellation.IsCancellationRequested))
        {
            // A parent rethrows its child's failure: only the node that failed first is told it failed.
            if (Interlocked.CompareExchange(ref _firstError, ExceptionDispatchInfo.Capture(e), null) is null)
            {
                _tracker.Failed(node.Descriptor, e);
            }

            await cancellation.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task PushManifestAsync(CopyNode node, IReadOnlyList<string>? rootTags, CancellationTokenSource cancellation)
    {
        var token = cancellation.Token;
        var descriptor = node.Descriptor;
        var existing = await InSlotAsync(() => _client.TryGetManifestAsync(_destination, descriptor.Digest.ToString(), token), token).ConfigureAwait(false);
        if (existing is not null)
        {
            MarkExisted(node);
        }
        else
        {
            await Task.WhenAll(node.Children.Select(child => VisitAsync(child.Digest, null, cancellation))).ConfigureAwait(false);
            if (rootTags is not { Count: > 0 })
            {
                await InSlotAsync(() => PutAsync(descriptor, node.Body!, null, token), token).ConfigureAwait(false);
            }

            _manifests[descriptor.Digest] = true;
            _tracker.Done(descriptor);
        }

        foreach (var tag in rootTags ?? [])
        {
            await InSlotAsync(() => PutAsync(descriptor, node.Body!, tag, token), token).ConfigureAwait(false);
        }
    }

    private async Task<bool> PutAsync(Descriptor descriptor, byte[] body, string? tag, CancellationToken cancellationToken)
    {
        await _client.PushManifestAsync(_destination, descriptor, body, tag, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _bytesUploaded, body.Length);
        return true;
    }

    private async Task PushBlobAsync(Descriptor blob, CancellationToken cancellationToken) =>
        _blobs[blob.Digest] = await InSlotAsync(() => _blobPush.PushAsync(blob, cancellationToken), cancellationToken).ConfigureAwait(false);

    // The destination has this manifest, hence (registries check it on push) everything under it.
    private void MarkExisted(CopyNode node)
    {
        if (!_manifests.TryAdd(node.Descriptor.Digest, false))
        {
            return;
        }

        _tracker.AlreadyPresent(node.Descriptor);
        foreach (var child in node.Children)
        {
            var childNode = _plan[child.Digest];
            if (childNode.IsManifest)
            {
                MarkExisted(childNode);
            }
            else if (_blobs.TryAdd(child.Digest, new BlobPushResult(child, BlobPushOutcome.Existed)))
            {
                _tracker.AlreadyPresent(child);
            }
        }
    }

    private async Task<T> InSlotAsync<T>(Func<Task<T>> request, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await request().ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }
}
