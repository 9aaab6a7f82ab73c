using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Content;

/// <summary>
/// An exclusive OS-level lock on a file, shared by every process on the machine and released by the OS
/// when its holder dies. On Unix .NET implements <see cref="FileShare.None"/> with flock(2), which is
/// per open file, so a second holder in the same process is refused too.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private const int MaxStampLength = 256;
    private readonly byte[] _stamp;

    private FileLock(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
        AcquiredAt = DateTimeOffset.UtcNow;
        // Write who holds the lock and since when into the file, through our own handle: others read
        // it without locking (UnixFile.ReadPrefix) to say how long it has been held, and we read it back
        // by path to check that the path still names the file we locked (see IsStillAt). The
        // modification time carries the same instant for readers that cannot open the file (Windows).
        var stamp = $"pid={Environment.ProcessId} since={AcquiredAt.UtcDateTime:O} token={Guid.NewGuid():N}\n";
        _stamp = System.Text.Encoding.UTF8.GetBytes(stamp);
        stream.SetLength(0);
        stream.Write(_stamp);
        stream.Flush();
        File.SetLastWriteTimeUtc(stream.SafeFileHandle, AcquiredAt.UtcDateTime);
    }

    public string Path { get; }

    /// <summary>When this holder took the lock.</summary>
    public DateTimeOffset AcquiredAt { get; }

    /// <summary>
    /// True while <see cref="Path"/> still names the file this lock holds: false when someone removed or
    /// replaced it after we opened it, in which case the lock protects nothing and must be retaken.
    /// (Windows refuses to delete a file held open without FileShare.Delete, so there it is always true.)
    /// </summary>
    public bool IsStillAt()
    {
        if (OperatingSystem.IsWindows()) return true;
        var current = UnixFile.ReadPrefix(Path, MaxStampLength);
        return current is not null && current.AsSpan().SequenceEqual(_stamp);
    }

    /// <summary>
    /// True when some holder, in this or another process, has the lock on <paramref name="path"/>. The probe
    /// takes a shared lock for an instant, so an exclusive taker that races it may be refused once.
    /// </summary>
    public static bool IsHeld(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return File.Exists(path);
        }
    }

    /// <summary>
    /// Who took the lock on <paramref name="path"/> last and when (the holder's process id is 0 when it
    /// cannot be read); null when the file is absent. Meaningful while <see cref="IsHeld"/> is true.
    /// </summary>
    public static (DateTimeOffset Since, int ProcessId)? LastHolder(string path)
    {
        if (!OperatingSystem.IsWindows() && UnixFile.ReadPrefix(path, MaxStampLength) is { Length: > 0 } bytes)
        {
            int pid = 0;
            DateTimeOffset? since = null;
            foreach (var part in System.Text.Encoding.UTF8.GetString(bytes).Split(' ', '\n'))
            {
                if (part.StartsWith("pid=", StringComparison.Ordinal))
                {
                    _ = int.TryParse(part.AsSpan(4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pid);
                }
                else if (part.StartsWith("since=", StringComparison.Ordinal)
                    && DateTimeOffset.TryParse(part.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var parsed))
                {
                    since = parsed;
                }
            }
            if (since is not null) return (since.Value, pid);
        }
        if (!File.Exists(path)) return null;
        return (new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero), 0);
    }

    /// <summary>Takes the lock or returns null at once when another holder has it.</summary>
    public static FileLock? TryAcquire(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
        try
        {
            return new FileLock(path, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the lock, polling with backoff, until <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken = default)
    {
        var delay = TimeSpan.FromMilliseconds(2);
        while (true)
        {
            if (TryAcquire(path) is { } taken) return taken;
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex)
            {
                throw new CanceledException($"canceled while waiting for the lock {path}", ErrorIds.OperationCanceled, ex) { Target = path };
            }
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }
    }

    public void Dispose() => _stream.Dispose();
}
