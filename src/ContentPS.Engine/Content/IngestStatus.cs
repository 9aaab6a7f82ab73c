using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>The state of one in-progress write (containerd's content.Status).</summary>
public sealed record IngestStatus
{
    public required string Ref { get; init; }
    /// <summary>Bytes written so far.</summary>
    public required long Offset { get; init; }
    /// <summary>Expected total size, or 0 when unknown.</summary>
    public long Total { get; init; }
    /// <summary>The digest the content is expected to have, when the writer was opened with one.</summary>
    public Digest? Expected { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>True while some writer (in this or another process) holds the ingest's lock.</summary>
    public bool Locked { get; init; }
}
