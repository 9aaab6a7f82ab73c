using ContentPS.Engine.Remotes;

namespace ContentPS;

/// <summary>
/// One blob <c>Copy-Blob</c> made exist at its destination: the descriptor (digest, size, and the media type
/// when the input carried one), how it got there, and the bytes it took. Its <c>Digest</c>, <c>Size</c>,
/// <c>MediaType</c> and <c>Store</c> bind by name to the blob cmdlets (<c>Get-Blob</c>, another <c>Copy-Blob</c>).
/// </summary>
public sealed class BlobCopyInfo
{
    internal BlobCopyInfo(BlobPushResult result, string? mediaType, BlobCopyOutcome outcome, string source, string destination, string? store)
    {
        Digest = result.Descriptor.Digest.ToString();
        Size = result.Descriptor.Size;
        MediaType = mediaType;
        Outcome = outcome;
        MountedFrom = result.MountedFrom;
        BytesCopied = outcome is BlobCopyOutcome.Uploaded or BlobCopyOutcome.Fetched ? result.Descriptor.Size : 0;
        Source = source;
        Destination = destination;
        Store = store;
    }

    /// <summary>The content digest (<c>sha256:…</c>).</summary>
    public string Digest { get; }

    /// <summary>The size in bytes.</summary>
    public long Size { get; }

    /// <summary>The media type the input gave (a descriptor's), or null when the blob was named by digest alone.</summary>
    public string? MediaType { get; }

    /// <summary>Existed, Mounted, Uploaded (to a registry) or Fetched (into the store).</summary>
    public BlobCopyOutcome Outcome { get; }

    /// <summary>The repository a mount took the blob from, or null.</summary>
    public string? MountedFrom { get; }

    /// <summary>The bytes sent to the destination: the size when uploaded or fetched, 0 when it existed or was mounted.</summary>
    public long BytesCopied { get; }

    /// <summary>Where the blob was read: a repository (<c>registry/repo</c>) or <c>store:</c>.</summary>
    public string Source { get; }

    /// <summary>Where the blob was written: a repository (<c>registry/repo</c>) or <c>store:</c>.</summary>
    public string Destination { get; }

    /// <summary>The store root when one side of the copy was the store, else null.</summary>
    public string? Store { get; }

    public override string ToString() => $"{Digest} {Outcome}";
}
