namespace ContentPS.TestFixtures;

/// <summary>
/// A hand-written layer of a fixture image: its entries, how it is compressed, and the ways it may be made wrong
/// on purpose (a media type that does not say the compression, a tar cut short, a diff ID that lies).
/// </summary>
public sealed record FixtureLayer(IReadOnlyList<FilesystemEntry> Entries, LayerCompression Compression = LayerCompression.Gzip)
{
    /// <summary>The descriptor's media type; null: the OCI type for <see cref="Compression"/> (or the Docker one in a Docker image).</summary>
    public string? MediaType { get; init; }

    /// <summary>Cut the uncompressed tar after this many bytes (a header whose size lies).</summary>
    public long? TruncateTarAt { get; init; }

    /// <summary>Put this digest into the config's rootfs.diff_ids instead of the real one.</summary>
    public string? LyingDiffId { get; init; }

    public static FixtureLayer Of(params FilesystemEntry[] entries) => new(entries);
}
