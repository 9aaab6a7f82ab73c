using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>Where a copy reads its graph: manifest bodies, blob bytes, where a blob can be mounted from, referrers.</summary>
internal interface ICopySource : IManifestSource
{
    /// <summary>The blob's descriptor (size; media type <c>application/octet-stream</c>); NotFound (<c>BlobNotFound</c>) when the source has none.</summary>
    Task<Descriptor> DescribeBlobAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>The blob's bytes, not yet verified (the copy verifies them on the way).</summary>
    Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken cancellationToken);

    /// <summary>Repositories the destination may mount the blob from (paths on its registry, or full names); empty: none known.</summary>
    Task<IReadOnlyCollection<string>> MountCandidatesAsync(Descriptor blob, ImageReference destination, CancellationToken cancellationToken);

    /// <summary>The manifests whose subject is <paramref name="subject"/>.</summary>
    Task<IReadOnlyList<Descriptor>> ListReferrersAsync(Digest subject, CancellationToken cancellationToken);
}
