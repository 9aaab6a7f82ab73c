using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Content;

/// <summary>
/// Ingest locks as one lock file per ingest, <c>ingest/&lt;key&gt;.lock</c> (a <see cref="FileLock"/>), for
/// systems without byte-range locks in .NET. The holder of a finished ingest deletes the file before
/// releasing it, so a waiter that then takes the lock on the deleted file sees it is no longer at its path
/// and takes it again.
/// </summary>
internal sealed class FileIngestLocking : IngestLocking
{
    private const int MaxAttempts = 16;

    public override IngestLock? TryAcquire(IngestFiles files, string reference)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            FileLock? taken;
            try
            {
                taken = FileLock.TryAcquire(files.Lock);
            }
            catch (IOException) when (!File.Exists(files.Lock))
            {
                continue; // refused by a holder that then finished and deleted the file
            }
            if (taken is null) return null;
            if (taken.IsStillAt()) return new Held(taken);
            taken.Dispose();
        }
        throw new UnavailableException(
            $"ref {reference}: its lock file kept being removed while taking it", ErrorIds.IngestLocked) { Target = reference };
    }

    public override bool IsHeld(IngestFiles files) => FileLock.IsHeld(files.Lock);

    public override (DateTimeOffset Since, int ProcessId)? Holder(IngestFiles files) => FileLock.LastHolder(files.Lock);

    private sealed class Held(FileLock taken) : IngestLock
    {
        public override void ReleaseFinished()
        {
            try
            {
                File.Delete(taken.Path);
            }
            finally
            {
                taken.Dispose();
            }
        }

        public override void Dispose() => taken.Dispose();
    }
}
