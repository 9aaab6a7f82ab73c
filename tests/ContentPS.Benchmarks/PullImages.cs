using ContentPS.TestFixtures;

namespace ContentPS.Benchmarks;

/// <summary>An image the pull benchmark pushed: where it is, whether every platform is pulled, what a full pull stores.</summary>
internal sealed record PullImage(string Label, string Reference, bool AllPlatforms, int Blobs, long Bytes);

/// <summary>
/// Writes the pull benchmark's images with the test fixtures' layout builder (gzip layers of seeded
/// pseudo-random data: incompressible) and pushes them to the benchmark's registry with skopeo.
/// </summary>
internal static class PullImages
{
    // Sixteen distinct platforms an index can name (Docker's and containerd's spellings, normalized).
    private static readonly string[] Platforms =
    [
        "linux/amd64", "linux/arm64/v8", "linux/arm/v7", "linux/arm/v6", "linux/arm/v5", "linux/386", "linux/ppc64le", "linux/s390x",
        "linux/riscv64", "linux/mips64le", "linux/mips64", "linux/loong64", "freebsd/amd64", "freebsd/arm64/v8", "windows/amd64", "windows/arm64/v8",
    ];

    /// <summary>One manifest (host platform) with <paramref name="layers"/> layers of <paramref name="layerBytes"/> each.</summary>
    public static Task<PullImage> LayersAsync(RegistryFixture registry, string work, string label, string repository, int layers, long layerBytes) =>
        PublishAsync(registry, work, label, repository, allPlatforms: false, builder =>
        {
            var platform = Engine.Oci.Platforms.Format(Engine.Oci.Platforms.Default());
            return builder.AddImage(platform, layers, layerBytes, seed: 7);
        });

    /// <summary>An OCI index of <paramref name="platforms"/> images of <paramref name="layers"/> layers of <paramref name="layerBytes"/>.</summary>
    public static Task<PullImage> IndexAsync(RegistryFixture registry, string work, string label, string repository, int platforms, int layers, long layerBytes)
    {
        if (platforms > Platforms.Length) throw new ArgumentOutOfRangeException(nameof(platforms), $"at most {Platforms.Length} platforms");
        return PublishAsync(registry, work, label, repository, allPlatforms: true, builder =>
            builder.AddIndex(Platforms.Take(platforms).Select((platform, i) => builder.AddImage(platform, layers, layerBytes, seed: 100 + i)).ToList()));
    }

    private static async Task<PullImage> PublishAsync(
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
            return new PullImage(label, $"{registry.Host}/{repository}:bench", allPlatforms, builder.Blobs.Count, builder.Blobs.Sum(b => b.Size));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
