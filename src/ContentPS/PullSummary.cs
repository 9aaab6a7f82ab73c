using ContentPS.Engine.Transfer;

namespace ContentPS;

/// <summary>What one image pull of <c>Save-ImageContent</c> did: the image it recorded, and what it downloaded and how fast.</summary>
public sealed class PullSummary
{
    internal PullSummary(PullResult result, string store)
    {
        Reference = result.Reference.ToString();
        Name = result.Name;
        Digest = result.Root.Digest.ToString();
        MediaType = result.Root.MediaType;
        Platforms = [.. result.Platforms];
        BlobsFetched = result.BlobsFetched;
        BlobsPresent = result.BlobsPresent;
        BlobsResumed = result.BlobsResumed;
        BytesFetched = result.BytesFetched;
        TotalBytes = result.TotalBytes;
        Elapsed = result.Elapsed;
        Throughput = result.BytesPerSecond;
        Store = store;
    }

    /// <summary>The normalized reference pulled (<c>registry/repository:tag</c>, or <c>@digest</c>).</summary>
    public string Reference { get; }

    /// <summary>The name of the image record written (<c>Get-Image -Name</c>).</summary>
    public string Name { get; }

    /// <summary>The digest of the root index or manifest (the record's target).</summary>
    public string Digest { get; }

    /// <summary>The media type of the root index or manifest.</summary>
    public string MediaType { get; }

    /// <summary>The platforms whose layers were saved (<c>os/arch[/variant]</c>).</summary>
    public string[] Platforms { get; }

    /// <summary>Blobs downloaded from their first byte.</summary>
    public int BlobsFetched { get; }

    /// <summary>Blobs the store had already (nothing downloaded).</summary>
    public int BlobsPresent { get; }

    /// <summary>Blobs completed from a partial download left in the store's ingests.</summary>
    public int BlobsResumed { get; }

    /// <summary>Bytes downloaded by this pull.</summary>
    public long BytesFetched { get; }

    /// <summary>The sizes of every blob of the saved graph, present ones included.</summary>
    public long TotalBytes { get; }

    /// <summary>How long the pull took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Bytes downloaded per second of <see cref="Elapsed"/>.</summary>
    public double Throughput { get; }

    /// <summary>The store root the image was saved into.</summary>
    public string Store { get; }

    public override string ToString() => $"{Name} {Digest}";
}
