using System.Globalization;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Content;

/// <summary>Taking, describing and clearing the OS lock of one ingest folder.</summary>
internal static class IngestLocks
{
    private const int MaxAttempts = 16;

    /// <summary>
    /// Takes <c>&lt;ingest&gt;/lock</c>, creating the folder; null when another writer holds it. A lock
    /// taken on a file that was removed meanwhile (its ingest was committed or aborted) is retaken.
    /// </summary>
    public static FileLock? TryAcquire(string ingestDirectory, string reference)
    {
        var path = Path.Combine(ingestDirectory, IngestFiles.Lock);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            FileLock? taken;
            try
            {
                Directory.CreateDirectory(ingestDirectory);
                taken = FileLock.TryAcquire(path);
            }
            catch (DirectoryNotFoundException)
            {
                continue; // removed between CreateDirectory and open
            }
            catch (FileNotFoundException)
            {
                continue;
            }
            catch (IOException) when (!File.Exists(path))
            {
                // Refused by a holder that then committed or aborted and removed the lock file, or the
                // folder was moved aside between mkdir's "exists" and .NET's check that it is a folder.
                continue;
            }
            if (taken is null) return null;
            if (taken.IsStillAt()) return taken;
            taken.Dispose();
        }
        throw new UnavailableException(
            $"ref {reference}: its ingest folder kept being removed while taking its lock", ErrorIds.IngestLocked) { Target = reference };
    }

    /// <summary>The IngestLocked error: which ref, for how long, since when, and by which process.</summary>
    public static UnavailableException Locked(string reference, string ingestDirectory)
    {
        var holder = FileLock.LastHolder(Path.Combine(ingestDirectory, IngestFiles.Lock));
        string detail;
        if (holder is { } h)
        {
            var held = DateTimeOffset.UtcNow - h.Since;
            if (held < TimeSpan.Zero) held = TimeSpan.Zero;
            detail = string.Create(CultureInfo.InvariantCulture,
                $" for {FormatDuration(held)} (since {h.Since.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}{(h.ProcessId > 0 ? $", by process {h.ProcessId}" : "")})");
        }
        else
        {
            detail = "";
        }
        return new UnavailableException($"ref {reference} locked{detail}: another writer is using it", ErrorIds.IngestLocked)
        {
            Target = reference,
        };
    }

    /// <summary>
    /// Removes an ingest folder whose lock the caller holds: renamed aside first (atomic, so a new writer
    /// of the same ref starts from a fresh folder), then deleted. Failures to delete are left for later.
    /// </summary>
    public static void Remove(string ingestDirectory)
    {
        var parent = Path.GetDirectoryName(ingestDirectory)!;
        var trash = Path.Combine(parent, $".trash-{Guid.NewGuid():N}");
        try
        {
            Directory.Move(ingestDirectory, trash);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        catch (IOException)
        {
            trash = ingestDirectory; // e.g. Windows refuses to move a folder with open files
        }
        catch (UnauthorizedAccessException)
        {
            trash = ingestDirectory;
        }
        try
        {
            Directory.Delete(trash, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Deletes <c>.trash-*</c> folders that an interrupted <see cref="Remove"/> left behind.</summary>
    public static void SweepTrash(string ingestRoot)
    {
        IEnumerable<string> leftovers;
        try
        {
            leftovers = Directory.EnumerateDirectories(ingestRoot, ".trash-*").ToList();
        }
        catch (IOException)
        {
            return;
        }
        foreach (var leftover in leftovers)
        {
            try
            {
                Directory.Delete(leftover, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds < 60
            ? duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
            : duration.TotalHours < 1
                ? $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s"
                : $"{(int)duration.TotalHours}h{duration.Minutes:00}m";
}
