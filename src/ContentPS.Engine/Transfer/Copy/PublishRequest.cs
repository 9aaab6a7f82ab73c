using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>What <see cref="ImageCopy.PublishAsync"/> pushes from a local store, and where.</summary>
public sealed record PublishRequest
{
    public required IContentStore Store { get; init; }

    /// <summary>The image record to push.</summary>
    public required string Name { get; init; }

    /// <summary>The repository, with the tag to write (none: the record name's tag, else by digest only).</summary>
    public required ImageReference Destination { get; init; }

    public required RegistryClient Client { get; init; }

    /// <summary>More tags, written after the destination's.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>As <see cref="CopyRequest.Platforms"/>: null or empty pushes the whole graph, so every blob of it must be in the store.</summary>
    public IReadOnlyList<Platform>? Platforms { get; init; }

    public bool PlatformAsManifest { get; init; }

    public bool Force { get; init; }

    public int MaxConcurrency { get; init; } = CopyRequest.DefaultMaxConcurrency;

    public ITransferTracker? Tracker { get; init; }
}
