using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>
/// Copies single blobs, in parallel (at most <see cref="BlobCopyRequest.MaxConcurrency"/> at once), each
/// digest once. To a registry: as an image copy does (existence check, mount from the source
/// repository on the same registry or from a store blob's distribution-source repositories, else a
/// verified streamed upload). To a store: nothing when it has the blob (Existed), else written through
/// the store's ingest, which verifies size and digest, labelled with the repository it came from
/// (Uploaded). The results are in the order asked (descriptors, then digests). The first failure cancels the rest.
/// </summary>
public static class BlobCopy
{
    public static async Task<IReadOnlyList<BlobPushResult>> CopyAsync(BlobCopyRequest request, CancellationToken cancellationToken = default)
    {
        var (source, copy) = Prepare(request);
        var tracker = new TransferTracker(request.Tracker);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(request.MaxConcurrency, request.MaxConcurrency);
        async Task<T> InSlotAsync<T>(Func<CancellationToken, Task<T>> work)
        {
            await slots.WaitAsync(cancellation.Token).ConfigureAwait(false);
            try
            {
                return await work(cancellation.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await cancellation.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                slots.Release();
            }
        }

        var described = await Task.WhenAll((request.Digests ?? []).Select(d => InSlotAsync(token => source.DescribeBlobAsync(d, token))))
            .ConfigureAwait(false);
        var blobs = (request.Blobs ?? []).Concat(described).DistinctBy(b => b.Digest).ToList();
        foreach (var blob in blobs)
        {
            tracker.Waiting(blob);
        }

        return await Task.WhenAll(blobs.Select(blob => InSlotAsync(token => copy(blob, tracker, token)))).ConfigureAwait(false);
    }

    private static (ICopySource Source, Func<Descriptor, ITransferTracker, CancellationToken, Task<BlobPushResult>> Copy) Prepare(BlobCopyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.SourceRepository is null) == (request.SourceStore is null) || (request.DestinationRepository is null) == (request.DestinationStore is null))
        {
            throw new InvalidArgumentException("name exactly one source (a repository or a store) and one destination", ErrorIds.InvalidArgument);
        }

        if (request.MaxConcurrency < 1)
        {
            throw new InvalidArgumentException($"the concurrency must be at least 1, not {request.MaxConcurrency}", ErrorIds.InvalidArgument);
        }

        foreach (var blob in request.Blobs ?? [])
        {
            blob.Validate();
        }

        ICopySource source = request.SourceRepository is { } from
            ? new RegistryCopySource(RequireClient(request.Client), from)
            : new StoreCopySource(request.SourceStore!);
        if (request.DestinationRepository is { } to)
        {
            if (request.SourceStore is { } same && request.DestinationStore == same)
            {
                throw new InvalidArgumentException("the source and the destination are the same store", ErrorIds.InvalidArgument);
            }

            return (source, (blob, tracker, token) => new RegistryBlobPush(RequireClient(request.DestinationClient ?? request.Client), to, source, tracker)
                .PushAsync(blob, token));
        }

        if (request.SourceStore is not null)
        {
            throw new InvalidArgumentException("copy blobs between two stores with a registry on one side; both sides are stores", ErrorIds.InvalidArgument);
        }

        var store = request.DestinationStore!;
        var repository = request.SourceRepository!;
        return (source, (blob, tracker, token) => ToStoreAsync(store, source, repository, blob, tracker, token));
    }

    private static async Task<BlobPushResult> ToStoreAsync(IContentStore store, ICopySource source, ImageReference repository, Descriptor blob,
        ITransferTracker tracker, CancellationToken cancellationToken)
    {
        if (await HasAsync(store, blob.Digest, cancellationToken).ConfigureAwait(false))
        {
            tracker.AlreadyPresent(blob);
            return new BlobPushResult(blob, BlobPushOutcome.Existed);
        }

        var labels = new Dictionary<string, string> { [ImageHandlers.DistributionSourceKey(repository.Domain)] = repository.Path };
        await using (var content = await source.OpenBlobAsync(blob, cancellationToken).ConfigureAwait(false))
        {
            var tracked = new TrackedReadStream(content, blob, tracker, 0);
            await ContentHelpers.WriteBlobAsync(store, FetchHandler.IngestRef(blob), tracked, blob, labels, cancellationToken).ConfigureAwait(false);
        }

        tracker.Done(blob);
        return new BlobPushResult(blob, BlobPushOutcome.Uploaded);
    }

    private static async Task<bool> HasAsync(IContentStore store, Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            await store.InfoAsync(digest, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NotFoundException)
        {
            return false;
        }
    }

    private static RegistryClient RequireClient(RegistryClient? client) =>
        client ?? throw new InvalidArgumentException("copying blobs to or from a registry needs a registry client", ErrorIds.InvalidArgument);
}
