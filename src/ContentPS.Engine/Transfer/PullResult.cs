using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer;

/// <summary>What a pull did.</summary>
public sealed record PullResult
{
    /// <summary>The normalized reference pulled.</summary>
    public required ImageReference Reference { get; init; }

    /// <summary>The image record's name.</summary>
    public required string Name { get; init; }

    /// <summary>The root manifest or index (the image record's target).</summary>
    public required Descriptor Root { get; init; }

    /// <summary>The platforms whose layers were fetched (<c>os/arch[/variant]</c>), as their index entries name them.</summary>
    public required IReadOnlyList<string> Platforms { get; init; }

    /// <summary>Blobs downloaded from the start.</summary>
    public int BlobsFetched { get; init; }

    /// <summary>Blobs the store had already.</summary>
    public int BlobsPresent { get; init; }

    /// <summary>Blobs completed from a partial ingest.</summary>
    public int BlobsResumed { get; init; }

    public long BytesFetched { get; init; }

    /// <summary>The sizes of every blob of the pulled graph.</summary>
    public long TotalBytes { get; init; }

    public TimeSpan Elapsed { get; init; }

    public double BytesPerSecond => Elapsed > TimeSpan.Zero ? BytesFetched / Elapsed.TotalSeconds : 0;
}
