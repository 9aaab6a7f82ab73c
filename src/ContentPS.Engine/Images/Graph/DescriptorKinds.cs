using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;

namespace ContentPS.Engine.Images.Graph;

/// <summary>Classifies the nodes of an image graph by role (<see cref="DescriptorKind"/>) and finds the platform they belong to.</summary>
public static class DescriptorKinds
{
    /// <summary>
    /// The kind of <paramref name="node"/>. An index is <see cref="DescriptorKind.Index"/>; a manifest is
    /// <see cref="DescriptorKind.Attestation"/> when its index entry marks it so (<see cref="AttestationManifests"/>),
    /// <see cref="DescriptorKind.Artifact"/> when its descriptor or <paramref name="document"/> (its parsed body, when
    /// known) has an <c>artifactType</c> or the body's config is not an image config, else <see cref="DescriptorKind.Manifest"/>.
    /// A child of a manifest is its <see cref="DescriptorKind.Config"/> at position 0 and a <see cref="DescriptorKind.Layer"/>
    /// after it; when the walk did not record the position (<see cref="ImageNode.Position"/> null) the media type decides
    /// (image config, layer, else Other). Anything else is <see cref="DescriptorKind.Other"/>.
    /// </summary>
    public static DescriptorKind Of(ImageNode node, ParsedManifest? document = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        var descriptor = node.Descriptor;
        if (MediaTypes.IsIndex(descriptor.MediaType))
        {
            return DescriptorKind.Index;
        }

        if (MediaTypes.IsManifest(descriptor.MediaType))
        {
            return ManifestKind(descriptor, document?.Manifest);
        }

        if (node.Parent is { } parent && MediaTypes.IsManifest(parent.Descriptor.MediaType))
        {
            return node.Position switch
            {
                0 => DescriptorKind.Config,
                > 0 => DescriptorKind.Layer,
                _ => ByMediaType(descriptor.MediaType),
            };
        }

        return node.Parent is null ? ByMediaType(descriptor.MediaType) : DescriptorKind.Other;
    }

    /// <summary>The platform of the nearest node, <paramref name="node"/> itself first, whose descriptor names one (layers and configs take their manifest's); null when none does.</summary>
    public static Platform? PlatformOf(ImageNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        for (ImageNode? at = node; at is not null; at = at.Parent)
        {
            if (at.Descriptor.Platform is { } platform)
            {
                return platform;
            }
        }

        return null;
    }

    private static DescriptorKind ManifestKind(Descriptor descriptor, Manifest? body)
    {
        if (AttestationManifests.Is(descriptor))
        {
            return DescriptorKind.Attestation;
        }

        var artifact = !string.IsNullOrEmpty(descriptor.ArtifactType)
            || (body is not null && (!string.IsNullOrEmpty(body.ArtifactType) || !MediaTypes.IsConfig(body.Config.MediaType)));
        return artifact ? DescriptorKind.Artifact : DescriptorKind.Manifest;
    }

    private static DescriptorKind ByMediaType(string mediaType) =>
        MediaTypes.IsConfig(mediaType) ? DescriptorKind.Config
        : MediaTypes.IsLayer(mediaType) ? DescriptorKind.Layer
        : DescriptorKind.Other;
}
