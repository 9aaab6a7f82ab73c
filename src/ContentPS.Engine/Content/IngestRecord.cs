namespace ContentPS.Engine.Content;

/// <summary>What one ingest says about itself, read without its lock (as another process sees it).</summary>
internal sealed record IngestRecord
{
    public required string Ref { get; init; }
    public long Total { get; init; }
    public Oci.Digest? Expected { get; init; }
    public bool ExpectedUnreadable { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The last checkpointed offset (0 when none).</summary>
    public long CheckpointOffset { get; init; }
    public required long DataLength { get; init; }
    /// <summary>The process that holds (or last held) the ingest, 0 when unknown.</summary>
    public int HolderProcessId { get; init; }
    /// <summary>Since when that process holds it.</summary>
    public DateTimeOffset? HolderSince { get; init; }

    /// <summary>Null when the ingest is missing or incomplete (no readable record, no data).</summary>
    public static IngestRecord? Read(IngestFiles files)
    {
        var record = IngestRecordFile.Read(files.Record);
        if (record is null) return null;
        var data = new FileInfo(files.Data);
        if (!data.Exists) return null;

        // The checkpoint is about once a second, so the data file may know better (a writer that was killed).
        var modified = new DateTimeOffset(data.LastWriteTimeUtc, TimeSpan.Zero);
        return new IngestRecord
        {
            Ref = record.Ref,
            Total = record.Total,
            Expected = record.Expected,
            ExpectedUnreadable = record.ExpectedUnreadable,
            StartedAt = record.StartedAt,
            UpdatedAt = modified > record.UpdatedAt ? modified : record.UpdatedAt,
            CheckpointOffset = record.Offset,
            DataLength = data.Length,
            HolderProcessId = record.HolderProcessId,
            HolderSince = record.HolderSince,
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
