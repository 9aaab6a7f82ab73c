using ContentPS.Engine.Remotes;

namespace ContentPS;

/// <summary>A reference resolved on its registry, as written by <c>Resolve-ImageReference</c>: the normalized reference and the root descriptor it names.</summary>
public sealed class ResolvedReferenceInfo
{
    internal ResolvedReferenceInfo(ResolvedImage resolved)
    {
        Reference = resolved.Reference.ToString();
        Repository = resolved.Reference.FullName;
        Tag = resolved.Reference.Tag;
        Digest = resolved.Descriptor.Digest.ToString();
        MediaType = resolved.Descriptor.MediaType;
        Size = resolved.Descriptor.Size;
        DigestReference = $"{Repository}@{Digest}";
    }

    /// <summary>The normalized reference as asked (<c>docker.io/library/alpine:3.20</c>).</summary>
    public string Reference { get; }

    /// <summary>The registry host and repository path (<c>docker.io/library/alpine</c>).</summary>
    public string Repository { get; }

    /// <summary>The tag asked for, or null when the reference named a digest only.</summary>
    public string? Tag { get; }

    /// <summary>The digest of the index or manifest the reference names now.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string Digest { get; }

    /// <summary>The media type of that index or manifest.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string MediaType { get; }

    /// <summary>Its size in bytes.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public long Size { get; }

    /// <summary>The reference pinned to the digest (<c>docker.io/library/alpine@sha256:…</c>): names the same content even after the tag moves.</summary>
    public string DigestReference { get; }

    public override string ToString() => DigestReference;
}
