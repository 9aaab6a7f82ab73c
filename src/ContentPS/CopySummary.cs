using ContentPS.Engine.Transfer.Copy;
using ContentPS.Internal;

namespace ContentPS;

/// <summary>What one <c>Copy-Image</c> or <c>Publish-Image</c> of one image did, as written to the pipeline.</summary>
public sealed class CopySummary
{
    internal CopySummary(CopyResult result, ImageLocation source, ImageLocation destination)
    {
        Source = source is StoreImageLocation from ? StoreLocationSyntax.Format(from.Name) : result.Source;
        Destination = destination switch
        {
            StoreImageLocation to => StoreLocationSyntax.Format(to.Name),
            // A repository took the source's tag: show where the image is now.
            RegistryImageLocation { Reference: { Tag: null, Digest: null } reference } => result.Tags.Count > 0
                ? reference.WithTag(result.Tags[0]).ToString()
                : $"{reference.FullName}@{result.Root.Digest}",
            _ => result.Destination,
        };
        Tags = [.. result.Tags];
        Digest = result.Root.Digest.ToString();
        MediaType = result.Root.MediaType;
        SourceDigest = result.SourceRoot.Digest.ToString();
        DigestChanged = !result.Root.Digest.Equals(result.SourceRoot.Digest);
        IndexRewritten = result.IndexRewritten;
        Platforms = [.. result.Platforms];
        BlobsCopied = result.BlobsUploaded;
        BlobsMounted = result.BlobsMounted;
        BlobsExisted = result.BlobsExisted;
        ManifestsPushed = result.ManifestsPushed;
        ManifestsExisted = result.ManifestsExisted;
        Referrers = [.. result.Referrers.Select(r => r.Digest.ToString())];
        BytesCopied = result.BytesUploaded;
        TotalBytes = result.TotalBytes;
        Elapsed = result.Elapsed;
        Throughput = result.Elapsed > TimeSpan.Zero ? result.BytesUploaded / result.Elapsed.TotalSeconds : 0;
        Store = (source as StoreImageLocation ?? destination as StoreImageLocation)?.Store.Root;
    }

    /// <summary>What was copied: the resolved reference (<c>registry/repository:tag</c>), or <c>store:&lt;name&gt;</c>.</summary>
    public string Source { get; }

    /// <summary>Where it went: the destination reference with its (first) tag (<c>registry/repository:tag</c>, or <c>@digest</c> when pushed by digest), or <c>store:&lt;name&gt;</c>.</summary>
    public string Destination { get; }

    /// <summary>The tags the destination image has now (the record name for the store; none: pushed by digest only).</summary>
    public string[] Tags { get; }

    /// <summary>The digest of what the destination's tags name: the source's root, a rewritten index, or one platform's manifest.</summary>
    public string Digest { get; }

    /// <summary>The media type of <see cref="Digest"/>'s document.</summary>
    public string MediaType { get; }

    /// <summary>The digest of the source's root index or manifest.</summary>
    public string SourceDigest { get; }

    /// <summary>True when <see cref="Digest"/> is not <see cref="SourceDigest"/> (a platform subset, or one platform as a plain manifest).</summary>
    public bool DigestChanged { get; }

    /// <summary>True when a platform subset of an index was written as a new index with only those entries.</summary>
    public bool IndexRewritten { get; }

    /// <summary>The platforms copied (<c>os/arch[/variant]</c>) when some were asked for; empty for the whole image.</summary>
    public string[] Platforms { get; }

    /// <summary>Blobs (configs, layers) whose bytes were sent (uploaded to a registry, or written to the store).</summary>
    public int BlobsCopied { get; }

    /// <summary>Blobs mounted from another repository of the destination registry: no bytes sent.</summary>
    public int BlobsMounted { get; }

    /// <summary>Blobs the destination had already.</summary>
    public int BlobsExisted { get; }

    /// <summary>Manifests and indexes written to the destination (referrers' included).</summary>
    public int ManifestsPushed { get; }

    /// <summary>Manifests and indexes the destination had already.</summary>
    public int ManifestsExisted { get; }

    /// <summary>The digests of the referrers copied with <c>-IncludeReferrers</c> (signatures, SBOMs, and theirs).</summary>
    public string[] Referrers { get; }

    /// <summary>Bytes sent (blobs copied and manifests written).</summary>
    public long BytesCopied { get; }

    /// <summary>The sizes of every blob and manifest of the copied graph, whether sent or not.</summary>
    public long TotalBytes { get; }

    /// <summary>How long the copy took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Bytes sent per second of <see cref="Elapsed"/>.</summary>
    public double Throughput { get; }

    /// <summary>The store root when the source or the destination is the store; otherwise null.</summary>
    public string? Store { get; }

    public override string ToString() => $"{Destination} {Digest}";
}
