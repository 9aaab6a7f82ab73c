namespace ContentPS.Engine.Archives;

/// <summary>What an import did.</summary>
public sealed record ImportResult
{
    /// <summary>The full path read.</summary>
    public required string Path { get; init; }

    /// <summary>The form the archive turned out to be in.</summary>
    public required ArchiveFormat Format { get; init; }

    /// <summary>One per record written (an image with two names appears twice).</summary>
    public required IReadOnlyList<ArchivedImage> Images { get; init; }

    /// <summary>Blobs committed by this import (docker manifests made for it included).</summary>
    public int BlobsWritten { get; init; }

    /// <summary>Blobs the store had already.</summary>
    public int BlobsExisting { get; init; }

    /// <summary>Bytes of the blobs committed.</summary>
    public long BytesWritten { get; init; }

    public TimeSpan Elapsed { get; init; }
}
