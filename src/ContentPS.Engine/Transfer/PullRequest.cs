using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer;

/// <summary>What <see cref="ImagePull.PullAsync"/> pulls, from where, into which store, and how much of it.</summary>
public sealed record PullRequest
{
    /// <summary>The image: a tag or digest reference on its registry (no tag means <c>:latest</c>).</summary>
    public required ImageReference Reference { get; init; }

    public required IContentStore Store { get; init; }

    public required RegistryClient Client { get; init; }

    /// <summary>
    /// The root descriptor when the caller knows it already (e.g. from <c>Get-ImageManifest</c>): no resolve
    /// request is made and <see cref="Reference"/> only names the repository. Null: resolve <see cref="Reference"/>.
    /// </summary>
    public Descriptor? Root { get; init; }

    /// <summary>The platforms whose layers are fetched; null or empty: this machine's (<see cref="Platforms.Default"/>).</summary>
    public IReadOnlyList<Platform>? Platforms { get; init; }

    /// <summary>Fetch every platform's layers, and attestations.</summary>
    public bool AllPlatforms { get; init; }

    /// <summary>Fetch attestation manifests (and their layers) too.</summary>
    public bool IncludeAttestations { get; init; }

    /// <summary>Fetch non-distributable (foreign) layers too; the client needs <see cref="RegistryClientOptions.AllowForeignUrls"/> for those only at their URLs.</summary>
    public bool IncludeNonDistributable { get; init; }

    /// <summary>The image record's name; null: the normalized reference (<c>docker.io/library/ubuntu:latest</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Blobs handled at once at most.</summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    /// <summary>Told every blob's state (besides the pull's own tracker, which the result is computed from); null: nobody.</summary>
    public ITransferTracker? Tracker { get; init; }

    public const int DefaultMaxConcurrency = 8;
}
