using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ContentPS.Engine.Unpack;

/// <summary>
/// The libc calls an unpack needs that .NET does not expose: hard links, device nodes and FIFOs, owners, and
/// times of a symlink itself. Each throws <see cref="IOException"/> carrying the OS error text.
/// </summary>
internal static partial class UnixNodes
{
    private const int FileTypeFifo = 0x1000;      // S_IFIFO
    private const int FileTypeCharacter = 0x2000; // S_IFCHR
    private const int FileTypeBlock = 0x6000;     // S_IFBLK

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string created);

    [LibraryImport("libc", EntryPoint = "mknod", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Mknod(string path, uint mode, ulong device);

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Mkfifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Lchown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static partial int Fchown(int fd, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "utimensat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Utimensat(int directory, string path, Timespec* times, int flags);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>True where device nodes can be made: Linux (the dev_t encoding below is glibc's and musl's).</summary>
    public static bool CanMakeDevices => OperatingSystem.IsLinux();

    public static void HardLink(string existing, string created) => Check(Link(existing, created), created);

    public static void MakeFifo(string path, UnixFileMode mode) => Check(Mkfifo(path, (uint)mode), path);

    public static void MakeDevice(string path, bool block, UnixFileMode mode, int major, int minor)
    {
        var type = block ? FileTypeBlock : FileTypeCharacter;
        Check(Mknod(path, (uint)type | (uint)mode, LinuxDevice((ulong)major, (ulong)minor)), path);
    }

    /// <summary>Changes the owner of <paramref name="path"/> itself (a symlink is not followed).</summary>
    public static void ChangeOwner(string path, int uid, int gid) => Check(Lchown(path, (uint)uid, (uint)gid), path);

    public static void ChangeOwner(SafeFileHandle handle, string path, int uid, int gid) =>
        Check(Fchown((int)handle.DangerousGetHandle(), (uint)uid, (uint)gid), path);

    /// <summary>Sets access and modification time of <paramref name="path"/> itself (a symlink is not followed).</summary>
    public static unsafe void SetTimesNoFollow(string path, DateTimeOffset modified)
    {
        var ticks = modified.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var time = new Timespec { Seconds = ticks / TimeSpan.TicksPerSecond, Nanoseconds = ticks % TimeSpan.TicksPerSecond * 100 };
        if (time.Nanoseconds < 0)
        {
            time.Seconds--;
            time.Nanoseconds += 1_000_000_000;
        }

        var times = stackalloc Timespec[2];
        times[0] = time;
        times[1] = time;
        var (currentDirectory, noFollow) = OperatingSystem.IsMacOS() ? (-2, 0x20) : (-100, 0x100);
        Check(Utimensat(currentDirectory, path, times, noFollow), path);
    }

    // glibc's gnu_dev_makedev.
    private static ulong LinuxDevice(ulong major, ulong minor) =>
        ((major & 0xfffff000UL) << 32) | ((major & 0xfffUL) << 8) | ((minor & 0xffffff00UL) << 12) | (minor & 0xffUL);

    private static void Check(int result, string path)
    {
        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }
}
