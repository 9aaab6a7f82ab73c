using System.Collections;
using System.Text;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Internal;

namespace ContentPS;

/// <summary>
/// What an index and a manifest read from a registry have in common: where they came from, their
/// own descriptor (media type, digest, size) and the optional fields both may carry.
/// </summary>
/// <remarks>
/// <c>ConvertTo-Json</c> writes the OCI field names (see <see cref="Formatting.OciJsonProperties"/>);
/// <see cref="ToOciJson"/> gives the document exactly as the registry served it.
/// </remarks>
public abstract class ImageDocumentInfo
{
    private readonly byte[] _body;

    private protected ImageDocumentInfo(ImageReference reference, FetchedManifest fetched, ParsedManifest parsed)
    {
        _body = fetched.Body;
        Reference = reference.ToString();
        MediaType = parsed.MediaType;
        Digest = fetched.Descriptor.Digest.ToString();
        Size = fetched.Body.LongLength;
        SchemaVersion = parsed.Index?.SchemaVersion ?? parsed.Manifest!.SchemaVersion;
        ArtifactType = parsed.ArtifactType;
        Subject = parsed.Subject is { } subject ? new DescriptorInfo(subject, reference) : null;
        Annotations = AnnotationTable.From(parsed.Annotations);
    }

    /// <summary>The normalized reference this was read for (<c>registry/repo:tag</c>).</summary>
    public string Reference { get; }

    /// <summary>The media type of the document.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string MediaType { get; }

    /// <summary>The digest of the document's bytes.</summary>
    public string Digest { get; }

    /// <summary>The size of the document in bytes.</summary>
    public long Size { get; }

    /// <summary>The document's <c>schemaVersion</c> (2).</summary>
    [Newtonsoft.Json.JsonIgnore]
    public int SchemaVersion { get; }

    /// <summary>The artifact type, or null.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string? ArtifactType { get; }

    /// <summary>The content this document refers to (referrers API), or null.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public DescriptorInfo? Subject { get; }

    /// <summary>The document's annotations (key → value); empty when it has none.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public Hashtable Annotations { get; }

    /// <summary>Where the document was read: <c>Registry</c>, or <c>Store</c> for the local content store.</summary>
    public string Source { get; internal init; } = DocumentSource.Registry;

    /// <summary>The document exactly as the registry served it (UTF-8 JSON; its bytes hash to <see cref="Digest"/>).</summary>
    public string ToOciJson() => Encoding.UTF8.GetString(_body);

    public override string ToString() => $"{Reference} {MediaType} {Digest}";
}
