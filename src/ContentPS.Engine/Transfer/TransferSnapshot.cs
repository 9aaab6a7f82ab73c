namespace ContentPS.Engine.Transfer;

/// <summary>The totals of a transfer at one moment, for renderers and summaries.</summary>
public sealed record TransferSnapshot
{
    public int Waiting { get; init; }

    public int Downloading { get; init; }

    public int Done { get; init; }

    public int AlreadyPresent { get; init; }

    public int Failed { get; init; }

    /// <summary>Blobs whose download started from a partial ingest.</summary>
    public int Resumed { get; init; }

    /// <summary>Bytes transferred by this transfer (a resumed blob's partial ingest not included).</summary>
    public long BytesFetched { get; init; }

    /// <summary>Bytes of partial ingests the downloads resumed from.</summary>
    public long BytesResumedFrom { get; init; }

    /// <summary>The sizes of every blob known so far, present ones included.</summary>
    public long TotalBytes { get; init; }

    /// <summary>The sizes of the blobs done or present, plus the ingest offsets of those downloading.</summary>
    public long CompletedBytes { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>The blobs downloading now, in the order they started.</summary>
    public IReadOnlyList<BlobTransferStatus> Active { get; init; } = [];

    public int Blobs => Waiting + Downloading + Done + AlreadyPresent + Failed;

    /// <summary>Bytes fetched per second of elapsed time (0 before any time passed).</summary>
    public double BytesPerSecond => Elapsed > TimeSpan.Zero ? BytesFetched / Elapsed.TotalSeconds : 0;
}
