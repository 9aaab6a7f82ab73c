using System.Collections;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;

namespace ContentPS;

/// <summary>An image record of a store (a named descriptor in its <c>index.json</c>), as written by <c>Get-Image</c>.</summary>
public sealed class ImageInfo
{
    internal ImageInfo(ImageRecord record, string store)
    {
        Name = record.Name;
        Digest = record.Target.Digest.ToString();
        MediaType = record.Target.MediaType;
        Size = record.Target.Size;
        var annotations = new Hashtable(StringComparer.Ordinal);
        foreach (var pair in (record.Target.Annotations ?? new Dictionary<string, string>()).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (pair.Key == AnnotationKeys.RefName) continue;
            annotations[pair.Key] = pair.Value;
        }
        Annotations = annotations;
        Store = store;
    }

    /// <summary>The record's name (<c>org.opencontainers.image.ref.name</c>).</summary>
    public string Name { get; }

    /// <summary>The digest of the target manifest or index.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string Digest { get; }

    /// <summary>The target's media type.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string MediaType { get; }

    /// <summary>The target's size in bytes.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public long Size { get; }

    /// <summary>The target descriptor's annotations other than the ref name (key → value).</summary>
    [Newtonsoft.Json.JsonIgnore]
    public Hashtable Annotations { get; }

    /// <summary>The store root the record is in.</summary>
    public string Store { get; }

    public override string ToString() => Name;
}
