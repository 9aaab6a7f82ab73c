using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Oci;

/// <summary>
/// Media types of OCI and Docker image content, and predicates over them. Predicates ignore
/// parameters (<c>; charset=utf-8</c>), surrounding white space and ASCII case, so they can be
/// given a Content-Type header as is.
/// </summary>
public static class MediaTypes
{
    // OCI image-spec
    public const string OciDescriptor = "application/vnd.oci.descriptor.v1+json";
    public const string OciLayoutHeader = "application/vnd.oci.layout.header.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string OciLayerNonDistributable = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public const string OciLayerNonDistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public const string OciLayerNonDistributableZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

    // ocicrypt: an encrypted layer is its plain media type plus this suffix.
    public const string EncryptedSuffix = "+encrypted";
    public const string OciLayerEncrypted = OciLayer + EncryptedSuffix;
    public const string OciLayerGzipEncrypted = OciLayerGzip + EncryptedSuffix;
    public const string OciLayerZstdEncrypted = OciLayerZstd + EncryptedSuffix;

    // Docker image manifest v2 (schema 2)
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerLayerZstd = "application/vnd.docker.image.rootfs.diff.tar.zstd";
    public const string DockerForeignLayer = "application/vnd.docker.image.rootfs.foreign.diff.tar";
    public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    // Docker schema 1 (not supported, recognized so it can be refused clearly)
    public const string DockerSchema1Manifest = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerSchema1SignedManifest = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    private const string OciLayerPrefix = "application/vnd.oci.image.layer.";
    private const string OciNonDistributablePrefix = "application/vnd.oci.image.layer.nondistributable.";
    private const string DockerLayerPrefix = "application/vnd.docker.image.rootfs.diff.";
    private const string DockerForeignPrefix = "application/vnd.docker.image.rootfs.foreign.diff.";

    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        OciDescriptor, OciLayoutHeader, OciIndex, OciManifest, OciConfig, OciEmpty,
        OciLayer, OciLayerGzip, OciLayerZstd,
        OciLayerNonDistributable, OciLayerNonDistributableGzip, OciLayerNonDistributableZstd,
        OciLayerEncrypted, OciLayerGzipEncrypted, OciLayerZstdEncrypted,
        DockerManifestList, DockerManifest, DockerConfig,
        DockerLayer, DockerLayerGzip, DockerLayerZstd, DockerForeignLayer, DockerForeignLayerGzip,
        DockerSchema1Manifest, DockerSchema1SignedManifest,
    };

    /// <summary>The media type without parameters and surrounding white space (<c>"a/b; x=y"</c> → <c>"a/b"</c>).</summary>
    public static string StripParameters(string? mediaType)
    {
        if (mediaType is null)
        {
            return "";
        }
        var semicolon = mediaType.IndexOf(';');
        return (semicolon < 0 ? mediaType : mediaType[..semicolon]).Trim();
    }

    /// <summary>An OCI image index or a Docker manifest list.</summary>
    public static bool IsIndex(string? mediaType) => Is(mediaType, OciIndex) || Is(mediaType, DockerManifestList);

    /// <summary>An OCI image manifest or a Docker schema 2 manifest (schema 1 is not a manifest here).</summary>
    public static bool IsManifest(string? mediaType) => Is(mediaType, OciManifest) || Is(mediaType, DockerManifest);

    /// <summary>An OCI image config or a Docker container image config.</summary>
    public static bool IsConfig(string? mediaType) => Is(mediaType, OciConfig) || Is(mediaType, DockerConfig);

    /// <summary>
    /// A filesystem layer: any OCI <c>image.layer.*</c> type (tar, gzip, zstd, non-distributable,
    /// <c>+encrypted</c>) or Docker <c>rootfs.diff.*</c> / <c>rootfs.foreign.diff.*</c> type.
    /// </summary>
    public static bool IsLayer(string? mediaType)
    {
        var m = StripParameters(mediaType);
        return StartsWith(m, OciLayerPrefix) || StartsWith(m, DockerLayerPrefix) || StartsWith(m, DockerForeignPrefix);
    }

    /// <summary>A layer that registries may not redistribute (OCI non-distributable, Docker foreign).</summary>
    public static bool IsNonDistributable(string? mediaType)
    {
        var m = StripParameters(mediaType);
        return StartsWith(m, OciNonDistributablePrefix) || StartsWith(m, DockerForeignPrefix);
    }

    /// <summary>A media type with the ocicrypt <c>+encrypted</c> suffix.</summary>
    public static bool IsEncrypted(string? mediaType) =>
        StripParameters(mediaType).EndsWith(EncryptedSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>A Docker schema 1 manifest (plain or signed).</summary>
    public static bool IsSchema1(string? mediaType) =>
        Is(mediaType, DockerSchema1Manifest) || Is(mediaType, DockerSchema1SignedManifest);

    /// <summary>One of the media types named by this class.</summary>
    public static bool IsKnown(string? mediaType) => Known.Contains(StripParameters(mediaType));

    /// <summary>Compression of a layer media type: "gzip", "zstd", or null (uncompressed or not a layer).</summary>
    public static string? LayerCompression(string? mediaType)
    {
        if (!IsLayer(mediaType))
        {
            return null;
        }
        var m = StripParameters(mediaType);
        if (m.EndsWith(EncryptedSuffix, StringComparison.OrdinalIgnoreCase))
        {
            m = m[..^EncryptedSuffix.Length];
        }
        if (m.EndsWith("+gzip", StringComparison.OrdinalIgnoreCase) || m.EndsWith(".gzip", StringComparison.OrdinalIgnoreCase))
        {
            return "gzip";
        }
        if (m.EndsWith("+zstd", StringComparison.OrdinalIgnoreCase) || m.EndsWith(".zstd", StringComparison.OrdinalIgnoreCase))
        {
            return "zstd";
        }
        return null;
    }

    /// <summary>
    /// Checks the RFC 6838 shape <c>type "/" subtype</c>: each name 1-127 characters, starting with a
    /// letter or digit, then letters, digits and <c>! # $ &amp; - ^ _ . +</c>; no parameters.
    /// Throws <see cref="InvalidArgumentException"/> (<c>InvalidMediaType</c>) saying what is wrong.
    /// </summary>
    public static void Validate(string? mediaType)
    {
        var error = Check(mediaType);
        if (error is not null)
        {
            throw new InvalidArgumentException(error, ErrorIds.InvalidMediaType) { Target = mediaType };
        }
    }

    /// <summary>True when <paramref name="mediaType"/> passes <see cref="Validate"/>.</summary>
    public static bool IsValid(string? mediaType) => Check(mediaType) is null;

    private static string? Check(string? mediaType)
    {
        if (string.IsNullOrEmpty(mediaType))
        {
            return "media type is empty";
        }
        var slash = mediaType.IndexOf('/');
        if (slash < 0)
        {
            return $"media type \"{mediaType}\" has no '/' between type and subtype";
        }
        return CheckName(mediaType, mediaType.AsSpan(0, slash), "type", 0)
            ?? CheckName(mediaType, mediaType.AsSpan(slash + 1), "subtype", slash + 1);
    }

    private static string? CheckName(string mediaType, ReadOnlySpan<char> name, string part, int offset)
    {
        if (name.IsEmpty)
        {
            return $"media type \"{mediaType}\" has an empty {part}";
        }
        if (name.Length > 127)
        {
            return $"media type \"{mediaType}\" has a {part} of {name.Length} characters (at most 127)";
        }
        if (!char.IsAsciiLetterOrDigit(name[0]))
        {
            return $"media type \"{mediaType}\": the {part} must start with a letter or digit, found '{name[0]}'";
        }
        for (var i = 1; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '&' or '-' or '^' or '_' or '.' or '+')
            {
                continue;
            }
            if (c == ';')
            {
                return $"media type \"{mediaType}\" has parameters; a descriptor media type must not";
            }
            return $"media type \"{mediaType}\" has character '{c}' at position {offset + i}, which is not allowed in a {part}";
        }
        return null;
    }

    private static bool Is(string? mediaType, string expected) =>
        string.Equals(StripParameters(mediaType), expected, StringComparison.OrdinalIgnoreCase);

    private static bool StartsWith(string mediaType, string prefix) =>
        mediaType.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}
