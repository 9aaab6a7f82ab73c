using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>
/// What <see cref="BlobCopy.CopyAsync"/> copies: blobs by descriptor and by digest (described by the
/// source first), from a registry repository or a store to a registry repository or a store.
/// Exactly one source and one destination; a repository's tag or digest is ignored.
/// </summary>
public sealed record BlobCopyRequest
{
    /// <summary>Blobs as descriptors (digest and size; the media type is passed on).</summary>
    public IReadOnlyList<Descriptor>? Blobs { get; init; }

    /// <summary>Blobs by digest alone: their sizes are asked of the source (HEAD, or the store's info).</summary>
    public IReadOnlyList<Digest>? Digests { get; init; }

    public ImageReference? SourceRepository { get; init; }

    public IContentStore? SourceStore { get; init; }

    public ImageReference? DestinationRepository { get; init; }

    public IContentStore? DestinationStore { get; init; }

    /// <summary>The client for registry sources (and destinations, unless <see cref="DestinationClient"/> is set).</summary>
    public RegistryClient? Client { get; init; }

    public RegistryClient? DestinationClient { get; init; }

    public int MaxConcurrency { get; init; } = CopyRequest.DefaultMaxConcurrency;

    public ITransferTracker? Tracker { get; init; }
}
