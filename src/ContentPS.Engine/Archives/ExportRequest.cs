using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;

namespace ContentPS.Engine.Archives;

/// <summary>What <see cref="ImageExport.ExportAsync"/> writes, from which store, where and in which form.</summary>
public sealed record ExportRequest
{
    /// <summary>The store holding the images' content; its image records name them.</summary>
    public required IContentStore Store { get; init; }

    /// <summary>The image records to export (one or several).</summary>
    public required IReadOnlyList<string> Names { get; init; }

    /// <summary>The target: a directory for <see cref="ArchiveFormat.OciLayout"/>, a file otherwise.</summary>
    public required string Path { get; init; }

    public ArchiveFormat Format { get; init; } = ArchiveFormat.OciLayout;

    /// <summary>
    /// The platforms an index is cut down to (per platform the entry it runs best, as a pull chooses);
    /// null or empty: this machine's (<see cref="Oci.Platforms.Default"/>), as pull. Ignored for a root that is a plain manifest.
    /// </summary>
    public IReadOnlyList<Platform>? Platforms { get; init; }

    /// <summary>Write every platform: an index as it is.</summary>
    public bool AllPlatforms { get; init; }

    /// <summary>Keep the attestation manifests that refer to the chosen entries (always with <see cref="AllPlatforms"/>; never in a docker archive).</summary>
    public bool IncludeAttestations { get; init; }

    /// <summary>Replace a target that exists; otherwise that is AlreadyExists (<c>ExportTargetExists</c>).</summary>
    public bool Overwrite { get; init; }

    /// <summary>Told each blob's state (Waiting, Downloading as its bytes are written, Done); null: nobody.</summary>
    public ITransferTracker? Tracker { get; init; }
}
