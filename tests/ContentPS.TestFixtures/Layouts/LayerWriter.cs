using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>
/// Streams a gzip-compressed ustar layer with a directory, a text file and pseudo-random data
/// files totalling <c>dataSize</c> bytes. Returns the compressed digest and size and the diff ID.
/// </summary>
internal static class LayerWriter
{
    private static readonly DateTimeOffset Timestamp = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static (string Digest, long Size, string DiffId) Write(Stream destination, string name, long dataSize, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataSize);
        var compressed = new HashingWriteStream(destination);
        string diffId;
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var uncompressed = new HashingWriteStream(gzip);
            using (var tar = new TarWriter(uncompressed, TarEntryFormat.Ustar, leaveOpen: true))
            {
                tar.WriteEntry(Entry(TarEntryType.Directory, name + "/", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute));
                var readme = Entry(TarEntryType.RegularFile, name + "/README.txt", FileMode);
                readme.DataStream = new MemoryStream(Encoding.UTF8.GetBytes($"ContentPS test layer {name}, seed {seed}, {dataSize} data bytes\n"));
                tar.WriteEntry(readme);
                var index = 0;
                foreach (var part in Split(dataSize))
                {
                    var file = Entry(TarEntryType.RegularFile, $"{name}/data-{index}.bin", FileMode);
                    file.DataStream = new SeededByteStream(seed * 31 + index, part);
                    tar.WriteEntry(file);
                    index++;
                }
            }

            diffId = uncompressed.Digest;
        }

        compressed.Flush();
        return (compressed.Digest, compressed.BytesWritten, diffId);
    }

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static UstarTarEntry Entry(TarEntryType type, string name, UnixFileMode mode) => new(type, name)
    {
        Mode = mode,
        ModificationTime = Timestamp,
        Uid = 0,
        Gid = 0,
        UserName = "root",
        GroupName = "root",
    };

    // Half, a quarter, the rest: a few files of different sizes; nothing when the layer has no data.
    private static IEnumerable<long> Split(long size)
    {
        if (size == 0)
        {
            yield break;
        }

        var first = size / 2;
        var second = size / 4;
        foreach (var part in new[] { first, second, size - first - second })
        {
            if (part > 0)
            {
                yield return part;
            }
        }
    }
}
