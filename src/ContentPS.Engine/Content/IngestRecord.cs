using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>What one ingest folder says about itself, read without its lock (as another process sees it).</summary>
internal sealed record IngestRecord
{
    public required string Directory { get; init; }
    public required string Ref { get; init; }
    public long Total { get; init; }
    public Digest? Expected { get; init; }
    public bool ExpectedUnreadable { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The last checkpointed offset (0 when none).</summary>
    public long CheckpointOffset { get; init; }
    public required long DataLength { get; init; }

    /// <summary>Null when the folder is missing or incomplete (no readable <c>ingest.json</c>, no data).</summary>
    public static IngestRecord? Read(string directory)
    {
        var info = IngestFiles.ReadInfo(directory);
        if (info is null) return null;
        var data = new FileInfo(Path.Combine(directory, IngestFiles.Data));
        if (!data.Exists) return null;

        var (checkpointOffset, checkpointedAt) = IngestFiles.ReadCheckpoint(directory);
        var updatedAt = checkpointedAt ?? info.StartedAt;
        // The checkpoint is about once a second, so the data file may know better (a writer that was killed).
        var modified = new DateTimeOffset(data.LastWriteTimeUtc, TimeSpan.Zero);
        if (modified > updatedAt) updatedAt = modified;

        return new IngestRecord
        {
            Directory = directory,
            Ref = info.Ref,
            Total = info.Total,
            Expected = info.Expected,
            ExpectedUnreadable = info.ExpectedUnreadable,
            StartedAt = info.StartedAt,
            UpdatedAt = updatedAt,
            CheckpointOffset = checkpointOffset,
            DataLength = data.Length,
        };
    }

    public IngestStatus ToStatus(bool locked) => new()
    {
        Ref = Ref,
        Offset = DataLength,
        Total = Total,
        Expected = Expected,
        StartedAt = StartedAt,
        UpdatedAt = UpdatedAt,
        Locked = locked,
    };
}
