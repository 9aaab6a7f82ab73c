using ContentPS.Engine.Content;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>
/// A local content store as a copy's source (publish). A blob can be mounted from the repositories its
/// <c>containerd.io/distribution.source.&lt;host&gt;</c> label names for the destination's host (a pull wrote them).
/// The store keeps no referrers.
/// </summary>
internal sealed class StoreCopySource(IContentStore store) : ICopySource
{
    private readonly ContentStoreManifestSource _manifests = new(store);

    public ValueTask<byte[]> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken) =>
        _manifests.ReadManifestAsync(descriptor, cancellationToken);

    public async Task<Descriptor> DescribeBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        var info = await store.InfoAsync(digest, cancellationToken).ConfigureAwait(false);
        return new Descriptor { MediaType = "application/octet-stream", Digest = digest, Size = info.Size };
    }

    public async Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken cancellationToken)
    {
        var reader = await store.OpenReaderAsync(blob.Digest, cancellationToken).ConfigureAwait(false);
        return new ReaderOwningStream(reader);
    }

    public async Task<IReadOnlyCollection<string>> MountCandidatesAsync(Descriptor blob, ImageReference destination, CancellationToken cancellationToken)
    {
        var info = await store.InfoAsync(blob.Digest, cancellationToken).ConfigureAwait(false);
        return info.Labels is { } labels && labels.TryGetValue(ImageHandlers.DistributionSourceKey(destination.Domain), out var repositories)
            ? repositories.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
    }

    public Task<IReadOnlyList<Descriptor>> ListReferrersAsync(Digest subject, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Descriptor>>([]);
}
