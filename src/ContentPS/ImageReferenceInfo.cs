using ContentPS.Engine.Oci;

namespace ContentPS;

/// <summary>A parsed, normalized image reference, as written by <c>ConvertTo-ImageReference</c>.</summary>
public sealed class ImageReferenceInfo
{
    internal ImageReferenceInfo(ImageReference reference)
    {
        Value = reference;
        Reference = reference.ToString();
        Familiar = reference.FamiliarString;
        FullName = reference.FullName;
        FamiliarName = reference.FamiliarName;
        Domain = reference.Domain;
        Path = reference.Path;
        Tag = reference.Tag;
        Digest = reference.Digest;
    }

    /// <summary>The full, normalized reference (<c>docker.io/library/ubuntu:latest</c>).</summary>
    public string Reference { get; }

    /// <summary>The reference as Docker shows it (<c>ubuntu:latest</c>).</summary>
    public string Familiar { get; }

    /// <summary>Domain and path (<c>docker.io/library/ubuntu</c>).</summary>
    public string FullName { get; }

    /// <summary>The name as Docker shows it (<c>ubuntu</c>).</summary>
    public string FamiliarName { get; }

    /// <summary>The registry host, with its port when it has one.</summary>
    public string Domain { get; }

    /// <summary>The repository path inside the registry (<c>library/ubuntu</c>).</summary>
    public string Path { get; }

    /// <summary>The tag, or null.</summary>
    public string? Tag { get; }

    /// <summary>The digest (<c>sha256:…</c>), or null.</summary>
    public string? Digest { get; }

    /// <summary>The engine's reference, for cmdlets that take this object from the pipeline.</summary>
    internal ImageReference Value { get; }

    public override string ToString() => Reference;
}
