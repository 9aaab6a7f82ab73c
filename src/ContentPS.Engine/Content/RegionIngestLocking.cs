namespace ContentPS.Engine.Content;

/// <summary>
/// Ingest locks as one-byte ranges of <c>contentps/ingest.locks</c>, at an offset taken from the ingest's key:
/// fcntl record locks on Unix, LockFileEx on Windows, both released by the OS when the holder dies. Nothing
/// is created or deleted per ingest. Record locks belong to the process, so threads of this process are
/// kept apart by an in-memory set first; and closing any handle of the file would drop every lock the
/// process has on it, so the process opens it once, while it holds any of its locks, through this class only.
/// </summary>
internal sealed class RegionIngestLocking : IngestLocking
{
    public const string FileName = "ingest.locks";

    private static readonly object Gate = new();
    private static readonly Dictionary<string, SharedFile> Files = new(StringComparer.Ordinal);
    private static readonly HashSet<string> Held = new(StringComparer.Ordinal);

    private readonly string _path;

    public RegionIngestLocking(StoreLayout layout)
    {
        _path = Path.Combine(layout.Root, StoreLayout.MetadataDirectoryName, FileName);
    }

    /// <summary>Where .NET implements <see cref="FileStream.Lock"/> (not on macOS or FreeBSD).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsWindows();

    public override IngestLock? TryAcquire(IngestFiles files, string reference)
    {
        var offset = Offset(files.Key);
        var name = _path + "#" + files.Key;
        FileStream stream;
        lock (Gate)
        {
            if (!Held.Add(name)) return null;
            try
            {
                stream = Open();
            }
            catch
            {
                Held.Remove(name);
                throw;
            }
        }
        try
        {
            LockRegion(stream, offset);
            return new Region(this, stream, offset, name);
        }
        catch (IOException)
        {
            Release(name); // another process holds it
            return null;
        }
        catch
        {
            Release(name);
            throw;
        }
    }

    public override bool IsHeld(IngestFiles files)
    {
        using var probe = TryAcquire(files, files.Key);
        return probe is null;
    }

    // The record lock says nothing about its holder that .NET can read; the ingest's record does.
    public override (DateTimeOffset Since, int ProcessId)? Holder(IngestFiles files) => null;

    /// <summary>A position from the first 60 bits of the key: distinct keys share one only by a hash collision.</summary>
    private static long Offset(string key) => Convert.ToInt64(key[..15], 16);

    private static void LockRegion(FileStream stream, long offset)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()) stream.Lock(offset, 1);
    }

    private static void UnlockRegion(FileStream stream, long offset)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()) stream.Unlock(offset, 1);
    }

    // Under Gate.
    private FileStream Open()
    {
        if (Files.TryGetValue(_path, out var shared))
        {
            shared.Users++;
            return shared.Stream;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var stream = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        Files[_path] = new SharedFile(stream) { Users = 1 };
        return stream;
    }

    private void Release(string name)
    {
        lock (Gate)
        {
            Held.Remove(name);
            var shared = Files[_path];
            if (--shared.Users > 0) return;
            Files.Remove(_path);
            shared.Stream.Dispose();
        }
    }

    private sealed class SharedFile(FileStream stream)
    {
        public FileStream Stream { get; } = stream;
        public int Users { get; set; }
    }

    private sealed class Region(RegionIngestLocking owner, FileStream stream, long offset, string name) : IngestLock
    {
        private int _released;

        public override void ReleaseFinished() => Dispose();

        public override void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            try
            {
                UnlockRegion(stream, offset);
            }
            finally
            {
                owner.Release(name);
            }
        }
    }
}
