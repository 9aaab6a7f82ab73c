using System.Collections;
using System.Text.Json;
using ContentPS.Engine.Oci;
using ContentPS.Internal;

namespace ContentPS;

/// <summary>
/// An OCI descriptor read from a registry: a child of an index or manifest (written inside
/// <c>Get-ImageManifest</c>'s objects) or a referrer (written by <c>Get-ImageReferrer</c>).
/// <see cref="Reference"/> names the content by digest in its repository, so a descriptor piped to
/// <c>Get-ImageManifest</c> fetches what it describes.
/// </summary>
/// <remarks>
/// <c>ConvertTo-Json</c> writes the OCI field names (see <see cref="Formatting.OciJsonProperties"/>);
/// <see cref="ToOciJson"/> writes the descriptor as OCI JSON.
/// </remarks>
public sealed class DescriptorInfo
{
    internal DescriptorInfo(Descriptor descriptor, ImageReference repository)
    {
        Value = descriptor;
        MediaType = descriptor.MediaType;
        Digest = descriptor.Digest.ToString();
        Size = descriptor.Size;
        ArtifactType = descriptor.ArtifactType;
        Platform = descriptor.Platform is { } platform ? new ImagePlatformInfo(platform) : null;
        Annotations = AnnotationTable.From(descriptor.Annotations);
        Urls = descriptor.Urls?.ToArray() ?? [];
        Reference = $"{repository.FullName}@{Digest}";
    }

    /// <summary>The media type of the content.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string MediaType { get; }

    /// <summary>The content digest (<c>sha256:…</c>).</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string Digest { get; }

    /// <summary>The size in bytes.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public long Size { get; }

    /// <summary>The artifact type (an artifact manifest or a referrer), or null.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string? ArtifactType { get; }

    /// <summary>The platform of an index entry, or null.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public ImagePlatformInfo? Platform { get; }

    /// <summary>The descriptor's annotations (key → value); empty when it has none.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public Hashtable Annotations { get; }

    /// <summary>Where else the content may be fetched from (foreign layers); empty when none.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string[] Urls { get; }

    /// <summary>The content by digest in its repository (<c>registry/repo@sha256:…</c>).</summary>
    public string Reference { get; }

    /// <summary>The engine's descriptor.</summary>
    internal Descriptor Value { get; }

    /// <summary>The descriptor as OCI JSON (<c>mediaType</c>, <c>digest</c>, <c>size</c>, …).</summary>
    public string ToOciJson() => JsonSerializer.Serialize(Value, OciJsonContext.Relaxed.Descriptor);

    public override string ToString() => $"{MediaType} {Digest} {Size}";
}
