using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS;

/// <summary>An OCI image index or Docker manifest list, as written by <c>Get-ImageManifest</c>: one descriptor per manifest, usually one per platform.</summary>
public sealed class ImageIndexInfo : ImageDocumentInfo
{
    internal ImageIndexInfo(ImageReference reference, FetchedManifest fetched, ParsedManifest parsed)
        : base(reference, fetched, parsed)
    {
        Manifests = parsed.Index!.Manifests.Select(manifest => new DescriptorInfo(manifest, reference)).ToArray();
    }

    /// <summary>The manifests of the index, in index order, each with its platform when the index gives one.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public DescriptorInfo[] Manifests { get; }
}
