namespace ContentPS;

/// <summary>One tag of a repository, as written by <c>Get-ImageTag</c>.</summary>
public sealed class ImageTagInfo
{
    internal ImageTagInfo(string repository, string tag)
    {
        Repository = repository;
        Tag = tag;
        Reference = $"{repository}:{tag}";
    }

    /// <summary>The registry host and repository path (<c>registry.example/team/app</c>).</summary>
    public string Repository { get; }

    /// <summary>The tag.</summary>
    public string Tag { get; }

    /// <summary>The full reference (<c>registry.example/team/app:v1</c>), which binds by name to <c>-Reference</c> of other cmdlets.</summary>
    public string Reference { get; }

    public override string ToString() => Reference;
}
