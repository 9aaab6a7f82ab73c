using System.Runtime.InteropServices;

namespace ContentPS.Engine.Content;

/// <summary>
/// The few libc calls .NET does not expose: fsync of a directory, and reading a file that another
/// holder has locked (.NET's FileStream takes a shared flock on open, which an exclusive holder refuses).
/// </summary>
internal static partial class UnixFile
{
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string created);

    /// <summary>EEXIST, the same on Linux and macOS.</summary>
    private const int ExistsErrno = 17;

    /// <summary>
    /// Creates <paramref name="created"/> as a hard link to <paramref name="existing"/>: true when linked,
    /// false when <paramref name="created"/> already exists (atomically decided by the kernel), null when the
    /// file system cannot link (the caller falls back). .NET's File.Move without overwrite checks, then renames:
    /// two movers to one name can both succeed.
    /// </summary>
    internal static bool? TryLink(string existing, string created)
    {
        if (Link(existing, created) == 0) return true;
        return Marshal.GetLastPInvokeError() == ExistsErrno ? false : null;
    }

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, byte* buffer, nint count);

    /// <summary>Up to <paramref name="maxBytes"/> bytes of a file, without taking any lock; null when it cannot be opened.</summary>
    internal static unsafe byte[]? ReadPrefix(string path, int maxBytes)
    {
        var fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0) return null;
        try
        {
            var buffer = new byte[maxBytes];
            var total = 0;
            fixed (byte* start = buffer)
            {
                while (total < maxBytes)
                {
                    var read = Read(fd, start + total, maxBytes - total);
                    if (read <= 0) break;
                    total += (int)read;
                }
            }
            return buffer.AsSpan(0, total).ToArray();
        }
        finally
        {
            Close(fd);
        }
    }
}
