namespace ContentPS.Engine.Unpack;

/// <summary>The target directory and what every layer applied to it shares: resolver, directory attributes, filter, counters.</summary>
internal sealed class UnpackTarget(string root, IncludeFilter filter, bool owners)
{
    public string Root { get; } = root;

    public RootResolver Resolver { get; } = new(root);

    public DirectoryAttributes Directories { get; } = new();

    public IncludeFilter Filter { get; } = filter;

    /// <summary>Apply owners and make device nodes: asked for and running as root on Linux or macOS.</summary>
    public bool Owners { get; } = owners;

    public SkipLog Skips { get; } = new();

    public long Files { get; set; }

    public long Bytes { get; set; }

    /// <summary>The copy buffer for file contents, one per unpack.</summary>
    public byte[] Buffer { get; } = new byte[128 * 1024];
}
