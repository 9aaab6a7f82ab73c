namespace ContentPS.Engine.Content;

/// <summary>
/// How the writers of one ref exclude each other, in this process and in others, with locks the OS
/// releases when their holder dies. Byte-range locks on one shared file where the OS has them
/// (<see cref="RegionIngestLocking"/>: no file per ingest), else a lock file per ingest (<see cref="FileIngestLocking"/>).
/// </summary>
internal abstract class IngestLocking
{
    public static IngestLocking For(StoreLayout layout, bool lockFilePerIngest = false) =>
        RegionIngestLocking.IsSupported && !lockFilePerIngest ? new RegionIngestLocking(layout) : new FileIngestLocking();

    /// <summary>Takes the lock of the ingest, or returns null at once when another writer holds it.</summary>
    public abstract IngestLock? TryAcquire(IngestFiles files, string reference);

    /// <summary>True when a writer, in this or another process, holds the ingest. A racing taker may be refused once.</summary>
    public abstract bool IsHeld(IngestFiles files);

    /// <summary>Who holds the lock and since when, where the lock itself says (null when it does not).</summary>
    public abstract (DateTimeOffset Since, int ProcessId)? Holder(IngestFiles files);
}

/// <summary>A held ingest lock.</summary>
internal abstract class IngestLock : IDisposable
{
    /// <summary>Releases the lock of an ingest that is gone (committed or aborted), with anything only it needed.</summary>
    public abstract void ReleaseFinished();

    /// <summary>Releases the lock of an ingest that stays (a partial write to resume).</summary>
    public abstract void Dispose();
}
