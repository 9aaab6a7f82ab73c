using System.Globalization;
using ContentPS.Engine.Oci;

namespace ContentPS.Formatting;

/// <summary>
/// The short forms the format views (module/ContentPS.Format.ps1xml) show: media types such as
/// <c>oci.manifest</c>, <c>docker.list</c> and <c>layer.gzip</c>, digests cut to
/// <c>sha256:abcdef012345</c>, sizes in B/KiB/MiB/GiB. Only the display is short; the objects keep
/// the full values.
/// </summary>
public static class DisplayText
{
    private const string VendorPrefix = "application/vnd.";

    private static readonly Dictionary<string, string> KnownMediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [MediaTypes.OciIndex] = "oci.index",
        [MediaTypes.OciManifest] = "oci.manifest",
        [MediaTypes.OciConfig] = "oci.config",
        [MediaTypes.OciEmpty] = "oci.empty",
        [MediaTypes.OciLayer] = "layer.tar",
        [MediaTypes.OciLayerGzip] = "layer.gzip",
        [MediaTypes.OciLayerZstd] = "layer.zstd",
        [MediaTypes.OciLayerNonDistributable] = "layer.foreign.tar",
        [MediaTypes.OciLayerNonDistributableGzip] = "layer.foreign.gzip",
        [MediaTypes.OciLayerNonDistributableZstd] = "layer.foreign.zstd",
        [MediaTypes.DockerManifestList] = "docker.list",
        [MediaTypes.DockerManifest] = "docker.manifest",
        [MediaTypes.DockerConfig] = "docker.config",
        [MediaTypes.DockerLayer] = "docker.layer.tar",
        [MediaTypes.DockerLayerGzip] = "docker.layer.gzip",
        [MediaTypes.DockerLayerZstd] = "docker.layer.zstd",
        [MediaTypes.DockerForeignLayer] = "docker.foreign.tar",
        [MediaTypes.DockerForeignLayerGzip] = "docker.foreign.gzip",
    };

    /// <summary>A well-known media type by its short name (<c>+encrypted</c> becomes <c>+enc</c>); any other without its <c>application/vnd.</c> prefix and parameters.</summary>
    public static string MediaType(string? mediaType)
    {
        string bare = MediaTypes.StripParameters(mediaType);
        bool encrypted = bare.EndsWith(MediaTypes.EncryptedSuffix, StringComparison.OrdinalIgnoreCase);
        string plain = encrypted ? bare[..^MediaTypes.EncryptedSuffix.Length] : bare;
        if (KnownMediaTypes.TryGetValue(plain, out string? known))
        {
            return encrypted ? known + "+enc" : known;
        }

        return bare.StartsWith(VendorPrefix, StringComparison.OrdinalIgnoreCase) ? bare[VendorPrefix.Length..] : bare;
    }

    /// <summary>The algorithm and the first 12 hex digits (<c>sha256:abcdef012345</c>); text that is not a digest as it is.</summary>
    public static string Digest(string? digest)
    {
        if (string.IsNullOrEmpty(digest)) return "";
        int colon = digest.IndexOf(':');
        return colon < 0 ? digest : digest[..Math.Min(digest.Length, colon + 1 + Engine.Oci.Digest.ShortLength)];
    }

    /// <summary>A size in bytes as people read it: <c>512 B</c>, <c>1.5 KiB</c>, <c>20.0 MiB</c>, <c>1.25 GiB</c>.</summary>
    public static string Size(long size)
    {
        const double KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024;
        CultureInfo culture = CultureInfo.CurrentCulture;
        return size switch
        {
            >= (long)GiB => (size / GiB).ToString("N2", culture) + " GiB",
            >= (long)MiB => (size / MiB).ToString("N1", culture) + " MiB",
            >= (long)KiB => (size / KiB).ToString("N1", culture) + " KiB",
            _ => size.ToString(culture) + " B",
        };
    }
}
