using System.Formats.Tar;
using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>
/// One tar entry of a hand-written filesystem layer (<see cref="FilesystemLayerWriter"/>): the name is written
/// exactly as given, so fixtures can hold whiteouts, <c>../</c> names and links that point anywhere.
/// </summary>
public sealed record FilesystemEntry(TarEntryType Type, string Name)
{
    public static readonly DateTimeOffset DefaultTime = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;
    public const UnixFileMode FileMode = (UnixFileMode)0b110_100_100;

    public UnixFileMode Mode { get; init; } = Type == TarEntryType.Directory ? DirectoryMode : FileMode;

    public byte[] Content { get; init; } = [];

    /// <summary>The target of a symbolic or hard link.</summary>
    public string? LinkName { get; init; }

    public DateTimeOffset ModificationTime { get; init; } = DefaultTime;

    public int Uid { get; init; }

    public int Gid { get; init; }

    public int DeviceMajor { get; init; }

    public int DeviceMinor { get; init; }

    public static FilesystemEntry Dir(string name, UnixFileMode mode = DirectoryMode) => new(TarEntryType.Directory, name) { Mode = mode };

    public static FilesystemEntry Regular(string name, string content, UnixFileMode mode = FileMode) =>
        new(TarEntryType.RegularFile, name) { Content = Encoding.UTF8.GetBytes(content), Mode = mode };

    public static FilesystemEntry Symlink(string name, string target) =>
        new(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = (UnixFileMode)0b111_111_111 };

    public static FilesystemEntry HardLink(string name, string target) => new(TarEntryType.HardLink, name) { LinkName = target };

    /// <summary>An OCI whiteout: <c>dir/.wh.name</c> removes <c>dir/name</c> of the layers below.</summary>
    public static FilesystemEntry Whiteout(string path)
    {
        var slash = path.LastIndexOf('/');
        return Regular(slash < 0 ? ".wh." + path : path[..(slash + 1)] + ".wh." + path[(slash + 1)..], "");
    }

    /// <summary>An OCI opaque marker: <c>dir/.wh..wh..opq</c> hides everything the layers below put in <paramref name="directory"/>.</summary>
    public static FilesystemEntry Opaque(string directory) => Regular(directory.TrimEnd('/') + "/.wh..wh..opq", "");

    public static FilesystemEntry CharDevice(string name, int major, int minor) =>
        new(TarEntryType.CharacterDevice, name) { DeviceMajor = major, DeviceMinor = minor, Mode = (UnixFileMode)0b110_110_110 };

    public static FilesystemEntry Fifo(string name) => new(TarEntryType.Fifo, name);
}
