namespace ContentPS.Engine.Archives;

/// <summary>What an export wrote.</summary>
public sealed record ExportResult
{
    /// <summary>The full path of the directory or file written.</summary>
    public required string Path { get; init; }

    public required ArchiveFormat Format { get; init; }

    public required IReadOnlyList<ArchivedImage> Images { get; init; }

    /// <summary>Blobs written (each once, however many images share it), rewritten indexes and docker manifests not included.</summary>
    public int BlobsWritten { get; init; }

    /// <summary>Bytes of blob content written (the archive's own headers and JSON files not counted).</summary>
    public long BytesWritten { get; init; }

    public TimeSpan Elapsed { get; init; }
}
