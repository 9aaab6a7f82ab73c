using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Gc;

/// <summary>A blob a collection removed (or, in a dry run, would remove).</summary>
public sealed record RemovedContent(Digest Digest, long Size);

/// <summary>What one collection did (in a dry run: what it would do).</summary>
public sealed record GcResult
{
    public required bool DryRun { get; init; }

    /// <summary>Unreferenced blobs removed, in digest order.</summary>
    public required IReadOnlyList<RemovedContent> RemovedContent { get; init; }

    /// <summary>Stale ingests removed, by ref.</summary>
    public required IReadOnlyList<IngestStatus> RemovedIngests { get; init; }

    /// <summary>Ids of leases removed because their owner died or they expired.</summary>
    public required IReadOnlyList<string> RemovedLeases { get; init; }

    /// <summary>Committed blobs that were kept.</summary>
    public required int KeptContent { get; init; }

    /// <summary>Bytes of the removed blobs and ingests.</summary>
    public long BytesFreed => RemovedContent.Sum(c => c.Size) + RemovedIngests.Sum(i => i.Offset);

    /// <summary>Reachable manifests or indexes that could not be read, so their children were not followed.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}
