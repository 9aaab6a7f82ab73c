namespace ContentPS;

/// <summary>
/// A blob as a descriptor (media type, digest, size), as written by <c>Import-Blob</c>. Its property names
/// bind by name to <c>-Digest</c>, <c>-MediaType</c>, <c>-Size</c> and <c>-Store</c> of other cmdlets.
/// </summary>
public sealed class BlobDescriptor
{
    /// <summary>The media type the content was given (default <c>application/octet-stream</c>).</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string MediaType { get; init; } = "application/octet-stream";

    /// <summary>The content digest (<c>sha256:…</c>).</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string Digest { get; init; } = "";

    /// <summary>The size in bytes.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public long Size { get; init; }

    /// <summary>The file the content came from, when it came from one.</summary>
    public string? Source { get; init; }

    /// <summary>The store root the blob is in.</summary>
    public string? Store { get; init; }

    public override string ToString() => $"{MediaType} {Digest} {Size}";
}
