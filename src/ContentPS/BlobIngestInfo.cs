using ContentPS.Engine.Content;

namespace ContentPS;

/// <summary>An in-progress (or interrupted) write into a store, as written by <c>Get-BlobIngest</c>.</summary>
public sealed class BlobIngestInfo
{
    internal BlobIngestInfo(IngestStatus status, string store)
    {
        Ref = status.Ref;
        Offset = status.Offset;
        Total = status.Total;
        Expected = status.Expected?.ToString();
        StartedAt = status.StartedAt;
        UpdatedAt = status.UpdatedAt;
        Locked = status.Locked;
        Store = store;
    }

    /// <summary>The ingest's ref, the name writers use to resume it.</summary>
    public string Ref { get; }

    /// <summary>Bytes written so far.</summary>
    public long Offset { get; }

    /// <summary>The expected size, or 0 when unknown.</summary>
    public long Total { get; }

    /// <summary>The digest the content is expected to have, or null.</summary>
    public string? Expected { get; }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset UpdatedAt { get; }

    /// <summary>True while a writer (in any process) holds the ingest.</summary>
    public bool Locked { get; }

    /// <summary>The store root the ingest is in.</summary>
    public string Store { get; }

    public override string ToString() => Ref;
}
