using System.Collections.Concurrent;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Hosts;

/// <summary>
/// Parsed hosts.toml files of this process, each kept until its last-write time or length changes.
/// A file that fails to parse is not kept: every call reports it again until it is fixed.
/// </summary>
internal sealed class HostsFileCache
{
    private readonly ConcurrentDictionary<string, Entry> _files = new(StringComparer.Ordinal);
    private int _parseCount;

    /// <summary>The cache every <see cref="HostsConfiguration"/> shares unless given another.</summary>
    public static HostsFileCache Shared { get; } = new();

    /// <summary>How many times a file was read and parsed (tests check that unchanged files are not).</summary>
    public int ParseCount => Volatile.Read(ref _parseCount);

    public HostsFile Get(string path)
    {
        // The stamp is taken before reading: a change during the read leaves a newer stamp on disk, so the next call parses again.
        var info = new FileInfo(path);
        var stamp = (info.LastWriteTimeUtc, info.Exists ? info.Length : -1);
        if (_files.TryGetValue(path, out var cached) && cached.Stamp == stamp)
        {
            return cached.File;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.Wrap(e, $"read hosts configuration {path}");
        }

        var file = HostsFileParser.Parse(path, text);
        Interlocked.Increment(ref _parseCount);
        _files[path] = new Entry(stamp, file);
        return file;
    }

    private sealed record Entry((DateTime WrittenUtc, long Length) Stamp, HostsFile File);
}
