namespace ContentPS.TestFixtures;

/// <summary>
/// One blob written into a layout, with what a descriptor pointing at it carries
/// (platform, annotations, artifact type) where the builder set them.
/// </summary>
public sealed record LayoutBlob(string MediaType, string Digest, long Size, BlobKind Kind)
{
    /// <summary>"os/architecture[/variant]", e.g. "linux/arm64/v8"; null when the blob has no platform.</summary>
    public string? Platform { get; init; }

    public string? ArtifactType { get; init; }

    /// <summary>For a layer: the digest of its uncompressed tar (the config's rootfs diff ID).</summary>
    public string? DiffId { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The lowercase hex part of <see cref="Digest"/>.</summary>
    public string Encoded => Digest[(Digest.IndexOf(':', StringComparison.Ordinal) + 1)..];

    /// <summary>The blob's path inside the layout directory.</summary>
    public string RelativePath => Path.Combine("blobs", "sha256", Encoded);
}
