using System.Collections;
using System.Text.Json;
using ContentPS.Engine.Images.Graph;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Internal;

namespace ContentPS;

/// <summary>
/// One node of an image graph as a walk reached it (<c>Get-ImageDescriptor</c>, <c>Invoke-ImageHandler</c>): the
/// descriptor, where it sits (<see cref="Depth"/>, <see cref="ParentDigest"/>), what it is (<see cref="Kind"/>), the
/// platform it belongs to, and the image it came from.
/// </summary>
/// <remarks>
/// <see cref="Digest"/>, <see cref="Size"/> and <see cref="MediaType"/> bind by name to <c>Copy-Blob</c>;
/// <see cref="Reference"/> (the content by digest in its repository) binds by name to <c>Get-ImageManifest</c>, so a
/// manifest node piped there reads that very manifest. There is no <c>Store</c> property: a null one would fail the
/// <c>-Store</c> binding of those cmdlets; <see cref="StoreRoot"/> names the store a walk read.
/// </remarks>
public sealed class ImageDescriptorInfo
{
    private ImageDescriptorInfo(ImageNode node, DescriptorKind kind, string image, ImageReference? repository, string? store)
    {
        Descriptor descriptor = node.Descriptor;
        Value = descriptor;
        Node = node;
        Kind = kind;
        MediaType = descriptor.MediaType;
        Digest = descriptor.Digest.ToString();
        Size = descriptor.Size;
        ArtifactType = descriptor.ArtifactType;
        Annotations = AnnotationTable.From(descriptor.Annotations);
        Urls = descriptor.Urls?.ToArray() ?? [];
        Depth = node.Depth;
        ParentDigest = node.Parent?.Descriptor.Digest.ToString();
        Platform? platform = DescriptorKinds.PlatformOf(node);
        PlatformInfo = platform is null ? null : new ImagePlatformInfo(platform);
        Platform = PlatformInfo?.Platform;
        Image = image;
        Repository = repository?.FullName;
        Reference = $"{repository?.FullName ?? image}@{Digest}";
        StoreRoot = store;
    }

    /// <summary>
    /// The object for <paramref name="node"/> of a walk of <paramref name="image"/> (the reference or record name it
    /// started from). <paramref name="repository"/>: the registry repository the content is in, null when only the
    /// store knows it (a record under a name of its own); <paramref name="store"/>: the store root the walk reads,
    /// null for a registry walk; <paramref name="document"/>: the node's parsed body when it was read (it tells an
    /// artifact manifest from an image manifest; see <see cref="DescriptorKinds.Of"/>).
    /// </summary>
    internal static ImageDescriptorInfo From(ImageNode node, string image, ImageReference? repository, string? store = null, ParsedManifest? document = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(image);
        DescriptorKind kind = DescriptorKinds.Of(node, document);
        string? artifactType = node.Descriptor.ArtifactType ?? document?.ArtifactType;
        return new ImageDescriptorInfo(node, kind, image, repository, store) { ArtifactType = artifactType };
    }

    /// <summary>What the descriptor is in the graph: Index, Manifest, Config, Layer, Attestation, Artifact or Other.</summary>
    public DescriptorKind Kind { get; }

    /// <summary>The media type of the content.</summary>
    public string MediaType { get; }

    /// <summary>The content digest (<c>sha256:…</c>).</summary>
    public string Digest { get; }

    /// <summary>The size in bytes.</summary>
    public long Size { get; }

    /// <summary>The platform the node belongs to (<c>linux/arm64/v8</c>): its own index entry's, else the nearest ancestor's (a layer takes its manifest's); null when no descriptor on the way names one.</summary>
    public string? Platform { get; }

    /// <summary><see cref="Platform"/> as a parsed platform (OS, Architecture, Variant, …), or null.</summary>
    public ImagePlatformInfo? PlatformInfo { get; }

    /// <summary>The descriptor's annotations (key → value); empty when it has none.</summary>
    public Hashtable Annotations { get; }

    /// <summary>The artifact type: the descriptor's, else the manifest's own when its body was read; null for an image.</summary>
    public string? ArtifactType { get; private init; }

    /// <summary>Where else the content may be fetched from (foreign layers); empty when none.</summary>
    public string[] Urls { get; }

    /// <summary>0 for the image's root, 1 for its children, and so on.</summary>
    public int Depth { get; }

    /// <summary>The digest of the index or manifest that lists this descriptor; null for the root.</summary>
    public string? ParentDigest { get; }

    /// <summary>The image the walk started from, as given (normalized: <c>registry/repo:tag</c>) or the store record's name.</summary>
    public string Image { get; }

    /// <summary>The registry repository the content is in (<c>registry/repo</c>); null when only the store knows the image.</summary>
    public string? Repository { get; }

    /// <summary>The content by digest in its repository (<c>registry/repo@sha256:…</c>), so piping a node to <c>Get-ImageManifest</c> reads it.</summary>
    public string Reference { get; }

    /// <summary>The store root the walk read, when it read the store; null for a registry walk.</summary>
    public string? StoreRoot { get; }

    /// <summary>The engine's descriptor.</summary>
    internal Descriptor Value { get; }

    /// <summary>The engine's node (descriptor and ancestors).</summary>
    internal ImageNode Node { get; }

    /// <summary>The descriptor as OCI JSON (<c>mediaType</c>, <c>digest</c>, <c>size</c>, …).</summary>
    public string ToOciJson() => JsonSerializer.Serialize(Value, OciJsonContext.Relaxed.Descriptor);

    public override string ToString() => $"{Kind} {MediaType} {Digest} {Size}";
}
