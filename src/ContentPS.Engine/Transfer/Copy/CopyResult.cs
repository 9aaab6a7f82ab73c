using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>What a copy did.</summary>
public sealed record CopyResult
{
    public required string Source { get; init; }

    public required string Destination { get; init; }

    /// <summary>The source's root manifest or index.</summary>
    public required Descriptor SourceRoot { get; init; }

    /// <summary>What the destination's tags (or record) now name: the source root, a rewritten index, or a platform's manifest.</summary>
    public required Descriptor Root { get; init; }

    /// <summary>The tags written or confirmed on a registry destination (none: pushed by digest; the record name for a store).</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>A platform subset of an index was written as a new index: <see cref="Root"/>'s digest is not <see cref="SourceRoot"/>'s.</summary>
    public bool IndexRewritten { get; init; }

    /// <summary>The platforms copied (<c>os/arch[/variant]</c>) when a subset was asked for; empty for a whole graph.</summary>
    public IReadOnlyList<string> Platforms { get; init; } = [];

    /// <summary>Every blob (configs, layers) and how it reached the destination; manifests are counted apart.</summary>
    public required IReadOnlyList<BlobPushResult> Blobs { get; init; }

    /// <summary>Manifests and indexes written to the destination.</summary>
    public int ManifestsPushed { get; init; }

    /// <summary>Manifests and indexes the destination had already.</summary>
    public int ManifestsExisted { get; init; }

    /// <summary>The referrers copied (roots of their graphs), with <see cref="CopyRequest.IncludeReferrers"/>.</summary>
    public IReadOnlyList<Descriptor> Referrers { get; init; } = [];

    public int BlobsUploaded => Blobs.Count(b => b.Outcome == BlobPushOutcome.Uploaded);

    public int BlobsMounted => Blobs.Count(b => b.Outcome == BlobPushOutcome.Mounted);

    public int BlobsExisted => Blobs.Count(b => b.Outcome == BlobPushOutcome.Existed);

    /// <summary>Bytes sent (blobs uploaded, manifests written).</summary>
    public long BytesUploaded { get; init; }

    /// <summary>The sizes of every blob and manifest of the copied graph.</summary>
    public long TotalBytes { get; init; }

    public TimeSpan Elapsed { get; init; }
}
