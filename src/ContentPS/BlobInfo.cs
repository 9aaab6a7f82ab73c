using System.Collections;
using ContentPS.Engine.Content;

namespace ContentPS;

/// <summary>A committed blob of a store, as written by <c>Get-Blob</c> (containerd's content.Info).</summary>
public sealed class BlobInfo
{
    internal BlobInfo(ContentInfo info, string store)
    {
        Digest = info.Digest.ToString();
        Size = info.Size;
        CreatedAt = info.CreatedAt;
        UpdatedAt = info.UpdatedAt;
        var labels = new Hashtable(StringComparer.Ordinal);
        foreach (var pair in info.Labels.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            labels[pair.Key] = pair.Value;
        }
        Labels = labels;
        Store = store;
    }

    /// <summary>The content digest (<c>sha256:…</c>).</summary>
    public string Digest { get; }

    /// <summary>The size in bytes.</summary>
    public long Size { get; }

    /// <summary>When the blob was committed.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the blob or its labels last changed.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>The blob's labels (key → value).</summary>
    public Hashtable Labels { get; }

    /// <summary>The store root the blob is in.</summary>
    public string Store { get; }

    public override string ToString() => Digest;
}
