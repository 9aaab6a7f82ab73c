using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Graph;

/// <summary>
/// Reads from the content store and, for what the store does not hold (<c>BlobNotFound</c>), from the registry:
/// an image pulled for one platform has every manifest but not the attestations, say.
/// </summary>
public sealed class StoreFirstManifestSource(ContentStoreManifestSource store, IManifestSource registry) : IManifestSource
{
    private readonly ContentStoreManifestSource _store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly IManifestSource _registry = registry ?? throw new ArgumentNullException(nameof(registry));

    public async ValueTask<byte[]> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.ReadManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException ex) when (ex.ErrorId == ErrorIds.BlobNotFound)
        {
            return await _registry.ReadManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
        }
    }
}
