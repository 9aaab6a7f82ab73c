namespace ContentPS.Engine.Oci;

/// <summary>Pre-defined annotation keys of the OCI image-spec.</summary>
public static class AnnotationKeys
{
    public const string Created = "org.opencontainers.image.created";
    public const string Authors = "org.opencontainers.image.authors";
    public const string Url = "org.opencontainers.image.url";
    public const string Documentation = "org.opencontainers.image.documentation";
    public const string Source = "org.opencontainers.image.source";
    public const string Version = "org.opencontainers.image.version";
    public const string Revision = "org.opencontainers.image.revision";
    public const string Vendor = "org.opencontainers.image.vendor";
    public const string Licenses = "org.opencontainers.image.licenses";

    /// <summary>The name of a reference in an OCI layout's index.json (a tag such as <c>v1.0</c>, or a full reference).</summary>
    public const string RefName = "org.opencontainers.image.ref.name";

    public const string Title = "org.opencontainers.image.title";
    public const string Description = "org.opencontainers.image.description";
    public const string BaseImageDigest = "org.opencontainers.image.base.digest";
    public const string BaseImageName = "org.opencontainers.image.base.name";
}
