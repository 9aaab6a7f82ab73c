using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>What <see cref="ImageCopy.CopyAsync"/> copies, from where to where, and how.</summary>
public sealed record CopyRequest
{
    public required ImageLocation Source { get; init; }

    public required ImageLocation Destination { get; init; }

    /// <summary>The client for registry sources (and destinations, unless <see cref="DestinationClient"/> is set).</summary>
    public RegistryClient? Client { get; init; }

    /// <summary>The client for a registry destination when it needs other credentials or settings; null: <see cref="Client"/>.</summary>
    public RegistryClient? DestinationClient { get; init; }

    /// <summary>
    /// The platforms to copy; null or empty: all of them, the whole graph (a mirror). A subset of an index
    /// writes a new index with only the entries chosen (one per platform, the best match, plus the
    /// attestation manifests that refer to them): its digest is not the source's
    /// (<see cref="CopyResult.IndexRewritten"/>).
    /// </summary>
    public IReadOnlyList<Platform>? Platforms { get; init; }

    /// <summary>With exactly one platform: copy that platform's manifest as the image itself, not an index of one entry.</summary>
    public bool PlatformAsManifest { get; init; }

    /// <summary>Move a destination tag (or replace a store record) that names another digest; without it that is FailedPrecondition (<c>TagConflict</c>).</summary>
    public bool Force { get; init; }

    /// <summary>
    /// After the image, copy the manifests that refer to it (signatures, SBOMs), and theirs, found with the
    /// referrers API or its tag schema (<c>&lt;alg&gt;-&lt;hex&gt;</c>), which is written on a destination that lacks the API.
    /// Registry sources and destinations only.
    /// </summary>
    public bool IncludeReferrers { get; init; }

    /// <summary>More tags for the destination image (registry destinations), written after the main one.</summary>
    public IReadOnlyList<string>? ExtraTags { get; init; }

    /// <summary>Requests (existence checks, blob and manifest pushes) running at once at most.</summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    /// <summary>Told every blob's state; null: nobody.</summary>
    public ITransferTracker? Tracker { get; init; }

    public const int DefaultMaxConcurrency = 8;
}
