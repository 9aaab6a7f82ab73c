using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Check;

/// <summary>A required blob that is in the store but is not what its descriptor says.</summary>
public sealed record CorruptContent(Descriptor Descriptor, DataLossException Error);

/// <summary>What <see cref="ImageCheck.CheckAsync(Content.IContentStore, Descriptor, IPlatformMatchComparer?, bool, CancellationToken)"/> found.</summary>
public sealed record ImageCheckResult
{
    /// <summary>The descriptor the check started from.</summary>
    public required Descriptor Root { get; init; }

    /// <summary>The manifests chosen for the platform (one; every one reached when no platform was given).</summary>
    public required IReadOnlyList<Descriptor> Manifests { get; init; }

    /// <summary>Every descriptor the image needs for the platform, in walk order: indexes, manifests, configs, layers.</summary>
    public required IReadOnlyList<Descriptor> Required { get; init; }

    /// <summary>Required content that is in the store (and, with verify, hashes to its digest).</summary>
    public required IReadOnlyList<Descriptor> Present { get; init; }

    /// <summary>Required content that is not in the store.</summary>
    public required IReadOnlyList<Descriptor> Missing { get; init; }

    /// <summary>Required content whose size or digest is wrong, or an index or manifest that does not parse.</summary>
    public required IReadOnlyList<CorruptContent> Corrupt { get; init; }

    /// <summary>
    /// True when the whole graph for the platform could be read: every index and manifest on the way is present
    /// and sound and a manifest was chosen. False when one is missing or corrupt (what is below it is unknown, so
    /// <see cref="Required"/> is incomplete) or when no manifest matches the platform (<see cref="PlatformMatched"/>).
    /// </summary>
    public required bool Available { get; init; }

    /// <summary>False when an index had no manifest for the platform.</summary>
    public required bool PlatformMatched { get; init; }

    /// <summary>Everything required is present and sound.</summary>
    public bool Complete => Available && Missing.Count == 0 && Corrupt.Count == 0;
}
