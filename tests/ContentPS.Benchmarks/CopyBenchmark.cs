using ContentPS.TestFixtures;

namespace ContentPS.Benchmarks;

/// <summary>
/// Issue 7's copy benchmark: registry → registry between two local registries (the test fixtures'
/// docker-registry, plain HTTP on 127.0.0.1; different hosts, so nothing can be mounted; a new empty
/// destination registry for every fresh copy, see <see cref="CopyContender"/>), Copy-Image in a
/// hosted runspace that imported the built module (when it has it) and the engine's <c>ImageCopy</c> called
/// directly, against <c>skopeo copy --all docker://… docker://…</c>: (a) one manifest of large
/// incompressible layers, (b) an index of many platforms of small layers, every platform copied, (c) each
/// copy again into the repository that has everything. Images, repetitions and medians as in
/// <see cref="PullBenchmark"/> (<see cref="FreshAgain"/>).
/// </summary>
internal static class CopyBenchmark
{
    public static void Run(TransferBenchmarkOptions options)
    {
        var manifest = Path.Combine(ProgressPreferenceBenchmark.FindRepositoryRoot(), "ContentPS.psd1");
        var work = Path.Combine(Path.GetTempPath(), $"contentps-copy-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            RunAsync(options, manifest, work).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task RunAsync(TransferBenchmarkOptions options, string manifest, string work)
    {
        await using var source = await RegistryFixture.StartAsync(RegistryFlavor.Plain).ConfigureAwait(false);
        var large = await BenchImages.LayersAsync(
            source, work, $"(a) {options.Layers}x{options.LayerMiB} MiB", "bench/layers", options.Layers, (long)options.LayerMiB << 20).ConfigureAwait(false);
        var index = await BenchImages.IndexAsync(
            source, work, $"(b) {options.Platforms}x{options.PlatformLayers}x{options.SmallLayerKiB} KiB", "bench/index",
            options.Platforms, options.PlatformLayers, options.SmallLayerKiB * 1024L).ConfigureAwait(false);

        using var module = HostedModule.Open(manifest);
        var contenders = new List<IFreshAgainContender>();
        if (module.Has("Copy-Image")) contenders.Add(new CopyCmdletContender(module));
        else Console.WriteLine("copy: the built module has no Copy-Image yet; ContentPS is measured as ImageCopy.CopyAsync");
        contenders.Add(new CopyEngineContender());
        contenders.Add(new CopySkopeoContender());
        if (options.Contenders is { } only) contenders.RemoveAll(c => !only.Contains(c.Name));
        if (contenders.Count == 0) throw new ArgumentException("--copy-contenders names none of the contenders that can run here");

        var results = new[] { large, index }.Select(image => FreshAgain.Measure("copy", image, contenders, options.Runs)).ToList();
        foreach (var result in results) result.Print();
        var ours = contenders.Where(c => c.IsOurs).Select(c => c.Name).ToList();
        Console.WriteLine($"copy targets (median of {options.Runs}):");
        foreach (var our in ours)
        {
            foreach (var result in results)
            {
                Console.WriteLine("  " + result.Check("fresh", our, "skopeo", 0.8));
                Console.WriteLine("  " + result.Check("again", our, "skopeo", 0.5));
            }
        }
    }
}
