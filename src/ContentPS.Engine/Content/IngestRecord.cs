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

    /// <summary>Null when the folder is missing or incomplete (no ref, no data, no start time).</summary>
    public static IngestRecord? Read(string directory)
    {
        var reference = IngestFiles.ReadText(directory, IngestFiles.Ref);
        if (reference is null) return null;
        var startedAt = IngestFiles.ParseTime(IngestFiles.ReadText(directory, IngestFiles.StartedAt));
        var data = new FileInfo(Path.Combine(directory, IngestFiles.Data));
        if (startedAt is null || !data.Exists) return null;

        var updatedAt = IngestFiles.ParseTime(IngestFiles.ReadText(directory, IngestFiles.UpdatedAt)) ?? startedAt.Value;
        // updatedat is checkpointed about once a second, so the data file may know better (a writer that was killed).
        var modified = new DateTimeOffset(data.LastWriteTimeUtc, TimeSpan.Zero);
        if (modified > updatedAt) updatedAt = modified;

        var expectedText = IngestFiles.ReadText(directory, IngestFiles.Expected);
        var expected = IngestFiles.ParseDigest(expectedText);
        return new IngestRecord
        {
            Directory = directory,
            Ref = reference,
            Total = IngestFiles.ParseInt64(IngestFiles.ReadText(directory, IngestFiles.Total)) ?? 0,
            Expected = expected,
            ExpectedUnreadable = expectedText is not null && expected is null,
            StartedAt = startedAt.Value,
            UpdatedAt = updatedAt,
            CheckpointOffset = IngestFiles.ParseInt64(IngestFiles.ReadText(directory, IngestFiles.Offset)) ?? 0,
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
