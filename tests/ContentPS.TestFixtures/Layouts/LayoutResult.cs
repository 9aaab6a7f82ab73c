namespace ContentPS.TestFixtures;

/// <summary>What a layout scenario wrote: the tagged top-level blob and every blob, so tests can assert digests.</summary>
public sealed record LayoutResult(
    string Directory,
    string Scenario,
    string RefName,
    LayoutBlob Top,
    IReadOnlyList<LayoutBlob> Blobs,
    IReadOnlyDictionary<string, LayoutBlob> Tags)
{
    public string MediaType => Top.MediaType;

    public string Digest => Top.Digest;

    public long Size => Top.Size;

    public IEnumerable<LayoutBlob> OfKind(BlobKind kind) => Blobs.Where(b => b.Kind == kind);

    /// <summary>The manifest for a platform such as "linux/amd64" or "unknown/unknown".</summary>
    public LayoutBlob ManifestFor(string platform) =>
        Blobs.Single(b => b.Kind == BlobKind.Manifest && b.Platform == platform);
}
