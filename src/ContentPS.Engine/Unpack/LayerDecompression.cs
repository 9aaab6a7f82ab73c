using System.IO.Compression;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ZstdSharp;

namespace ContentPS.Engine.Unpack;

/// <summary>
/// Opens a layer blob as its uncompressed tar. The first bytes decide (gzip 1f 8b, zstd 28 b5 2f fd), whatever
/// the media type says, so Docker's <c>rootfs.diff.tar</c> layers that are really gzip work; the media type only
/// refuses what is not a filesystem layer or is encrypted. Everything is streamed.
/// </summary>
internal static class LayerDecompression
{
    private static readonly byte[] GzipMagic = [0x1f, 0x8b];
    private static readonly byte[] ZstdMagic = [0x28, 0xb5, 0x2f, 0xfd];

    public static void EnsureSupported(Descriptor layer)
    {
        if (!MediaTypes.IsLayer(layer.MediaType))
        {
            throw new UnimplementedException(
                $"layer {layer.Digest} has media type \"{layer.MediaType}\", which is not a filesystem layer", ErrorIds.UnsupportedMediaType) { Target = layer.Digest.ToString() };
        }

        if (MediaTypes.IsEncrypted(layer.MediaType))
        {
            throw new UnimplementedException(
                $"layer {layer.Digest} is encrypted ({layer.MediaType}); decrypt the image first", ErrorIds.UnsupportedMediaType) { Target = layer.Digest.ToString() };
        }
    }

    /// <summary>The uncompressed tar over <paramref name="compressed"/> (seekable, at 0); disposing it disposes <paramref name="compressed"/>.</summary>
    public static Stream Open(Stream compressed)
    {
        Span<byte> head = stackalloc byte[4];
        var filled = 0;
        while (filled < head.Length)
        {
            var read = compressed.Read(head[filled..]);
            if (read == 0) break;
            filled += read;
        }

        compressed.Seek(0, SeekOrigin.Begin);
        head = head[..filled];
        if (head.StartsWith(GzipMagic))
        {
            return new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: false);
        }

        if (head.StartsWith(ZstdMagic))
        {
            return new DecompressionStream(compressed, leaveOpen: false);
        }

        return compressed;
    }
}
