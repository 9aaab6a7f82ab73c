using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Archives;

/// <summary>One image an export wrote or an import read.</summary>
public sealed record ArchivedImage
{
    /// <summary>The image's name: the store record's name (export) or the record written (import).</summary>
    public required string Name { get; init; }

    /// <summary>The root as written (export) or as stored (import); for a docker archive export, the first manifest written.</summary>
    public required Descriptor Root { get; init; }

    /// <summary>Export: the root in the store. Import: the root the archive named (for a docker archive, the manifest built from manifest.json).</summary>
    public required Descriptor SourceRoot { get; init; }

    /// <summary>True when a platform subset of an index was written as a new index (its digest differs from <see cref="SourceRoot"/>'s).</summary>
    public bool IndexRewritten { get; init; }

    /// <summary>The manifests written for this image (for a docker archive: one per platform; otherwise the root's image manifests).</summary>
    public IReadOnlyList<Descriptor> Manifests { get; init; } = [];
}
