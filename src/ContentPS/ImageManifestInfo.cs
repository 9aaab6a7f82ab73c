using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS;

/// <summary>An OCI image manifest or Docker schema 2 manifest, as written by <c>Get-ImageManifest</c>: a config and layers.</summary>
public sealed class ImageManifestInfo : ImageDocumentInfo
{
    internal ImageManifestInfo(ImageReference reference, FetchedManifest fetched, ParsedManifest parsed, Platform? platform)
        : base(reference, fetched, parsed)
    {
        Manifest manifest = parsed.Manifest!;
        Config = new DescriptorInfo(manifest.Config, reference);
        Layers = manifest.Layers.Select(layer => new DescriptorInfo(layer, reference)).ToArray();
        Platform = platform is null ? null : new ImagePlatformInfo(platform);
    }

    /// <summary>The image configuration (or the artifact's config blob).</summary>
    [Newtonsoft.Json.JsonIgnore]
    public DescriptorInfo Config { get; }

    /// <summary>The layers (or artifact blobs), base layer first.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public DescriptorInfo[] Layers { get; }

    /// <summary>The platform of the index entry this manifest was chosen by with <c>-Platform</c>; null otherwise.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public ImagePlatformInfo? Platform { get; }
}
