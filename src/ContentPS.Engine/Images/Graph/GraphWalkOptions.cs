using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Graph;

/// <summary>What <see cref="ImageGraph.WalkAsync"/> visits and how many manifests it reads at once.</summary>
public sealed record GraphWalkOptions
{
    /// <summary>The platforms whose layers are visited (as a pull fetches them); null or empty: this machine's (<see cref="Platforms.Default"/>).</summary>
    public IReadOnlyList<Platform>? Platforms { get; init; }

    /// <summary>Visit the layers of every platform, and attestations.</summary>
    public bool AllPlatforms { get; init; }

    /// <summary>Visit attestation manifests (and their blobs) too.</summary>
    public bool IncludeAttestations { get; init; }

    /// <summary>The deepest level visited (0: the root alone, 1: the root and its children, …); null: the whole graph.</summary>
    public int? MaxDepth { get; init; }

    /// <summary>Manifest and index bodies read at once at most (read ahead for the siblings the walk has reached).</summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    public const int DefaultMaxConcurrency = 8;
}
