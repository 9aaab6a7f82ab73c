namespace ContentPS;

/// <summary>A blob an image needs that is in the store but is not what its descriptor says (in <see cref="ImageCheckResult"/>).</summary>
public sealed class CorruptBlobInfo
{
    internal CorruptBlobInfo(string mediaType, string digest, long size, string reason, string store)
    {
        MediaType = mediaType;
        Digest = digest;
        Size = size;
        Reason = reason;
        Store = store;
    }

    /// <summary>The media type the descriptor gives.</summary>
    public string MediaType { get; }

    /// <summary>The digest the descriptor gives (<c>sha256:…</c>).</summary>
    public string Digest { get; }

    /// <summary>The size the descriptor gives, in bytes.</summary>
    public long Size { get; }

    /// <summary>What is wrong: the size or digest found in the store, or why the document does not parse.</summary>
    public string Reason { get; }

    /// <summary>The store root the blob is in.</summary>
    public string Store { get; }

    public override string ToString() => $"{Digest}: {Reason}";
}
