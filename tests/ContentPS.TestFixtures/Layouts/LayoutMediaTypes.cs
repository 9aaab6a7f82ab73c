namespace ContentPS.TestFixtures;

/// <summary>
/// Media types the layout builder writes. Kept here on purpose: the fixtures must not depend on the
/// engine's OCI model, which the fixtures exist to test.
/// </summary>
public static class LayoutMediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";
    public const string OciLayerNonDistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";

    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";

    public const string InToto = "application/vnd.in-toto+json";
    public const string ExampleSbomArtifact = "application/vnd.example.sbom.v1+json";
    public const string SpdxJson = "application/spdx+json";

    /// <summary>The OCI empty descriptor's content, digest and size.</summary>
    public const string EmptyJson = "{}";
    public const string EmptyDigest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    public const long EmptySize = 2;

    /// <summary>The layer media type for a compression: OCI, or Docker (which has no zstd type of its own in Docker's schema 2).</summary>
    public static string Layer(LayerCompression compression, bool docker) => (compression, docker) switch
    {
        (LayerCompression.None, false) => OciLayer,
        (LayerCompression.Gzip, false) => OciLayerGzip,
        (LayerCompression.Zstd, _) => OciLayerZstd,
        (LayerCompression.None, true) => DockerLayer,
        (LayerCompression.Gzip, true) => DockerLayerGzip,
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown compression."),
    };

    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsManifest(string mediaType) => mediaType is OciManifest or DockerManifest;
}
