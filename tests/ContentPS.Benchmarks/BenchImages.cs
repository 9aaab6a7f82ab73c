using ContentPS.TestFixtures;

namespace ContentPS.Benchmarks;

/// <summary>An image a benchmark pushed: where it is, whether every platform is pulled, the digests of every blob a full pull or copy moves.</summary>
internal sealed record BenchImage(string Label, string Reference, bool AllPlatforms, IReadOnlyList<string> Digests, long Bytes)
{
    public int Blobs => Digests.Count;
}

/// <summary>
/// Writes the pull and copy benchmarks' images with the test fixtures' layout builder (gzip layers of seeded
/// pseudo-random data: incompressible) and pushes them to a benchmark's registry with skopeo.
/// </summary>
internal static class BenchImages
{
    // Sixteen distinct platforms an index can name (Docker's and containerd's spellings, normalized).
    private static readonly string[] Platforms =
    [
        "linux/amd64", "linux/arm64/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5", "linux/386", "linux/ppc64le", "linux/s390x",
        "linux/riscv64", "linux/mips64le", "linux/mips64", "linux/loong64", "freebsd/amd64", "freebsd/arm64/v8", "windows/amd64", "windows/arm64/v8",
    ];

    /// <summary>One manifest (host platform) with <paramref name="layers"/> layers of <paramref name="layerBytes"/> each.</summary>
    public static Task<BenchImage> LayersAsync(RegistryFixture registry, string work, string label, string repository, int layers, long layerBytes) =>
        PublishAsync(registry, work, label, repository, allPlatforms: false, builder =>
        {
            var platform = Engine.Oci.Platforms.Format(Engine.Oci.Platforms.Default());
            return builder.AddImage(platform, layers, layerBytes, seed: 7);
        });

    /// <summary>An OCI index of <paramref name="platforms"/> images of <paramref name="layers"/> layers of <paramref name="layerBytes"/>.</summary>
    public static Task<BenchImage> IndexAsync(RegistryFixture registry, string work, string label, string repository, int platforms, int layers, long layerBytes)
    {
        if (platforms > Platforms.Length) throw new ArgumentOutOfRangeException(nameof(platforms), $"at most {Platforms.Length} platforms");
        return PublishAsync(registry, work, label, repository, allPlatforms: true, builder =>
            builder.AddIndex(Platforms.Take(platforms).Select((platform, i) => builder.AddImage(platform, layers, layerBytes, seed: 100 + i)).ToList()));
    }

    private static async Task<BenchImage> PublishAsync(
        RegistryFixture registry, string work, string label, string repository, bool allPlatforms, Func<ImageLayoutBuilder, LayoutBlob> build)
    {
        var directory = Path.Combine(work, "layout-" + repository.Replace('/', '-'));
        try
        {
            var builder = new ImageLayoutBuilder(directory);
            var top = build(builder);
            builder.Tag(top, "bench");
            builder.Save();
            await registry.PushLayoutAsync(directory, "bench", repository, "bench").ConfigureAwait(false);
            return new BenchImage(label, $"{registry.Host}/{repository}:bench", allPlatforms, builder.Blobs.Select(b => b.Digest).ToList(), builder.Blobs.Sum(b => b.Size));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
