namespace ContentPS.Engine.Gc;

/// <summary>How <see cref="GarbageCollector.CollectAsync"/> runs.</summary>
public sealed record GcOptions
{
    /// <summary>List what would be removed; remove nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Unlocked ingests (partial writes) not updated for this long, and named by no live lease, are removed;
    /// null keeps every ingest. Default: one day, so an interrupted pull can still resume the next morning.
    /// </summary>
    public TimeSpan? IngestMaxAge { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Test hook: called at each <see cref="GcPhase"/> while the collection lock is held.</summary>
    internal Func<GcPhase, CancellationToken, Task>? PhaseHook { get; init; }
}

/// <summary>The steps of a collection, in order (for tests that interleave other work).</summary>
internal enum GcPhase
{
    /// <summary>The exclusive collection lock is held; nothing is read yet.</summary>
    Locked,

    /// <summary>The committed blobs are listed: the sweep candidates are fixed.</summary>
    Listed,

    /// <summary>Roots are read and marking is done; the sweep comes next.</summary>
    Marked,
}
