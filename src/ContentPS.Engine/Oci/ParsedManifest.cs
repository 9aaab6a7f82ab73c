namespace ContentPS.Engine.Oci;

/// <summary>The result of <see cref="ManifestParser.Parse"/>: either an index or a manifest, with its effective media type.</summary>
public sealed class ParsedManifest
{
    internal ParsedManifest(string mediaType, ImageIndex? index, Manifest? manifest)
    {
        MediaType = mediaType;
        Index = index;
        Manifest = manifest;
    }

    /// <summary>The media type the document was parsed as (declared, else from its body).</summary>
    public string MediaType { get; }

    /// <summary>The index, when <see cref="IsIndex"/>.</summary>
    public ImageIndex? Index { get; }

    /// <summary>The manifest, when not <see cref="IsIndex"/>.</summary>
    public Manifest? Manifest { get; }

    public bool IsIndex => Index is not null;

    public string? ArtifactType => Index is not null ? Index.ArtifactType : Manifest!.ArtifactType;

    public Descriptor? Subject => Index is not null ? Index.Subject : Manifest!.Subject;

    public IReadOnlyDictionary<string, string>? Annotations => Index is not null ? Index.Annotations : Manifest!.Annotations;

    /// <summary>What the document points to: an index's manifests, or a manifest's config then layers.</summary>
    public IReadOnlyList<Descriptor> Children =>
        Index is not null ? Index.Manifests : [Manifest!.Config, .. Manifest.Layers];
}
