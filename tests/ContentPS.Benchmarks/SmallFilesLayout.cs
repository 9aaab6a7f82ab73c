using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using ContentPS.TestFixtures;

namespace ContentPS.Benchmarks;

/// <summary>An OCI layout the unpack benchmark wrote: where, its ref name, and what its layers hold.</summary>
internal sealed record SmallFilesImage(string Layout, string RefName, string Label, int Layers, long Files, long Directories, long DataBytes)
{
    /// <summary>Entries a full unpack leaves under its root: every file and directory of every layer (no layer replaces another's).</summary>
    public long Entries => Files + Directories;
}

/// <summary>
/// Writes an OCI image layout of one host-platform image whose gzip layers hold many small files: seeded
/// pseudo-random content (incompressible, identical on every run), sizes from 512 B to 32 KiB, a hundred files
/// per directory, each layer under its own top directory. Layers are streamed to disk; the digests are
/// computed afterwards by reading them back (setup, not timed).
/// </summary>
internal static class SmallFilesLayout
{
    private const int FilesPerDirectory = 100;
    private const int MinFileBytes = 512;
    private const int MaxFileBytes = 32 * 1024;
    private static readonly DateTimeOffset Timestamp = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const UnixFileMode RegularMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode DirectoryMode = RegularMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static SmallFilesImage Write(string directory, string refName, int layers, long layerBytes, int seed)
    {
        var builder = new ImageLayoutBuilder(directory);
        var blobs = new List<LayoutBlob>();
        long files = 0, directories = 0, data = 0;
        for (var layer = 0; layer < layers; layer++)
        {
            var (blob, counts) = WriteLayer(builder.Directory, layer, layerBytes, seed * 1000 + layer);
            blobs.Add(blob);
            files += counts.Files;
            directories += counts.Directories;
            data += counts.Bytes;
        }

        var platform = Engine.Oci.Platforms.Format(Engine.Oci.Platforms.Default());
        var config = builder.AddConfig(platform, blobs);
        builder.Tag(builder.AddManifest(config, blobs, platform), refName);
        builder.Save();
        var label = $"{layers}x{layerBytes >> 20} MiB of {files / Math.Max(1, layers)} small files";
        return new SmallFilesImage(builder.Directory, refName, label, layers, files, directories, data);
    }

    private static (LayoutBlob Blob, (long Files, long Directories, long Bytes) Counts) WriteLayer(string layout, int layer, long layerBytes, int seed)
    {
        var blobDirectory = Path.Combine(layout, "blobs", "sha256");
        var temp = Path.Combine(blobDirectory, ".tmp-" + Guid.NewGuid().ToString("N"));
        var random = new Random(seed);
        long files = 0, directories = 0, written = 0;
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false))
        {
            var top = $"layer-{layer}";
            tar.WriteEntry(Entry(TarEntryType.Directory, top + "/", DirectoryMode));
            directories++;
            var buffer = new byte[MaxFileBytes];
            while (written < layerBytes)
            {
                if (files % FilesPerDirectory == 0)
                {
                    tar.WriteEntry(Entry(TarEntryType.Directory, $"{top}/d{files / FilesPerDirectory:D4}/", DirectoryMode));
                    directories++;
                }

                var size = (int)Math.Min(random.Next(MinFileBytes, MaxFileBytes + 1), layerBytes - written);
                random.NextBytes(buffer.AsSpan(0, size));
                var entry = Entry(TarEntryType.RegularFile, $"{top}/d{files / FilesPerDirectory:D4}/f{files:D6}.bin", RegularMode);
                entry.DataStream = new MemoryStream(buffer, 0, size, writable: false);
                tar.WriteEntry(entry);
                files++;
                written += size;
            }
        }

        var digest = "sha256:" + HashFile(temp, decompress: false);
        var diffId = "sha256:" + HashFile(temp, decompress: true);
        var blob = new LayoutBlob(LayoutMediaTypes.OciLayerGzip, digest, new FileInfo(temp).Length, BlobKind.Layer) { DiffId = diffId };
        File.Move(temp, Path.Combine(layout, blob.RelativePath), overwrite: true);
        return (blob, (files, directories, written));
    }

    private static string HashFile(string path, bool decompress)
    {
        using var file = File.OpenRead(path);
        using Stream content = decompress ? new GZipStream(file, CompressionMode.Decompress) : file;
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, UnixFileMode mode) => new(type, name)
    {
        Mode = mode,
        ModificationTime = Timestamp,
        Uid = 0,
        Gid = 0,
    };
}
