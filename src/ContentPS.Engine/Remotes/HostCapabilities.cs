namespace ContentPS.Engine.Remotes;

/// <summary>What a registry host may be used for (containerd's hosts.toml <c>capabilities</c>).</summary>
[Flags]
public enum HostCapabilities
{
    None = 0,

    /// <summary>Fetch content by digest (manifests and blobs).</summary>
    Pull = 1,

    /// <summary>Resolve a tag to a digest.</summary>
    Resolve = 2,

    /// <summary>Upload blobs and manifests, delete.</summary>
    Push = 4,

    All = Pull | Resolve | Push,
}
