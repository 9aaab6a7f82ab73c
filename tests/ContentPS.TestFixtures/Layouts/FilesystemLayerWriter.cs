using System.Formats.Tar;
using System.IO.Compression;
using ZstdSharp;

namespace ContentPS.TestFixtures;

/// <summary>How a fixture layer's tar is compressed.</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}

/// <summary>
/// Writes a layer from <see cref="FilesystemEntry"/> values as a PAX tar, compressed as asked. Returns the
/// compressed digest and size and the diff ID (digest of the tar bytes as written, also when truncated).
/// </summary>
internal static class FilesystemLayerWriter
{
    public static (string Digest, long Size, string DiffId) Write(
        Stream destination, IEnumerable<FilesystemEntry> entries, LayerCompression compression, long? truncateTarAt = null)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                WriteEntry(writer, entry);
            }
        }

        var bytes = tar.ToArray();
        if (truncateTarAt is { } cut)
        {
            bytes = bytes[..(int)Math.Min(cut, bytes.Length)];
        }

        var diffId = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var compressed = new HashingWriteStream(destination);
        using (var output = Compress(compressed, compression))
        {
            output.Write(bytes);
        }

        compressed.Flush();
        return (compressed.Digest, compressed.BytesWritten, diffId);
    }

    private static Stream Compress(Stream destination, LayerCompression compression) => compression switch
    {
        LayerCompression.None => new NonClosingStream(destination),
        LayerCompression.Gzip => new GZipStream(destination, CompressionLevel.Fastest, leaveOpen: true),
        LayerCompression.Zstd => new CompressionStream(destination, level: 3, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown compression."),
    };

    private static void WriteEntry(TarWriter writer, FilesystemEntry entry)
    {
        var header = new PaxTarEntry(entry.Type, entry.Name)
        {
            Mode = entry.Mode,
            ModificationTime = entry.ModificationTime,
            Uid = entry.Uid,
            Gid = entry.Gid,
            UserName = entry.Uid == 0 ? "root" : "user" + entry.Uid,
            GroupName = entry.Gid == 0 ? "root" : "group" + entry.Gid,
        };
        if (entry.LinkName is not null)
        {
            header.LinkName = entry.LinkName;
        }

        if (entry.Type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice)
        {
            header.DeviceMajor = entry.DeviceMajor;
            header.DeviceMinor = entry.DeviceMinor;
        }

        if (entry.Type == TarEntryType.RegularFile)
        {
            header.DataStream = new MemoryStream(entry.Content);
        }

        writer.WriteEntry(header);
    }

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
