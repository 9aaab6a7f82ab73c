using ContentPS.TestFixtures;

namespace ContentPS.Benchmarks;

/// <summary>
/// Issue 6's pull benchmark: on one local registry (the test fixtures' docker-registry, plain HTTP on
/// 127.0.0.1), Save-ImageContent in a hosted runspace that has imported the built module (and the engine's
/// <c>ImagePull</c> called directly, when the cmdlet is missing or as a second row) against
/// <c>skopeo copy docker://… oci:&lt;dir&gt;</c> and <c>ctr content fetch</c> through a private containerd:
/// (a) one manifest of large incompressible layers, (b) an index of many platforms of small layers (every
/// platform: -AllPlatforms, skopeo --all, ctr --all-platforms), (c) each pull again into the store that has
/// everything. Each repetition gives every contender a fresh store (a new daemon for ctr), times the pull,
/// checks that the store holds every blob, then times the same pull again; the contenders take turns
/// first. Medians of the repetitions; ratios and the targets printed.
/// </summary>
internal static class PullBenchmark
{
    public static void Run(TransferBenchmarkOptions options)
    {
        var manifest = Path.Combine(ProgressPreferenceBenchmark.FindRepositoryRoot(), "ContentPS.psd1");
        var work = Path.Combine(Path.GetTempPath(), $"contentps-pull-bench-{Environment.ProcessId}");
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
        await using var registry = await RegistryFixture.StartAsync(RegistryFlavor.Plain).ConfigureAwait(false);
        var large = await BenchImages.LayersAsync(
            registry, work, $"(a) {options.Layers}x{options.LayerMiB} MiB", "bench/layers", options.Layers, (long)options.LayerMiB << 20).ConfigureAwait(false);
        var index = await BenchImages.IndexAsync(
            registry, work, $"(b) {options.Platforms}x{options.PlatformLayers}x{options.SmallLayerKiB} KiB", "bench/index",
            options.Platforms, options.PlatformLayers, options.SmallLayerKiB * 1024L).ConfigureAwait(false);

        using var module = HostedModule.Open(manifest);
        var engine = typeof(Engine.Transfer.ImagePull).Assembly.Location;
        if (!string.Equals(Path.GetFullPath(module.EngineLocation), Path.GetFullPath(engine), StringComparison.Ordinal))
        {
            Console.WriteLine($"note: the hosted module runs {module.EngineLocation}, the ImagePull rows {engine}");
        }

        var contenders = new List<PullContender>();
        try
        {
            if (module.Has("Save-ImageContent")) contenders.Add(new CmdletContender(module, work));
            else Console.WriteLine("pull: the built module has no Save-ImageContent yet; ContentPS is measured as ImagePull.PullAsync");
            contenders.Add(new EngineContender(work));
            contenders.Add(new SkopeoContender(work));
            if (ContainerdDaemon.CannotRun() is { } reason) Console.WriteLine($"pull: no ctr column: {reason}");
            else contenders.Add(new CtrContender(work));

            if (options.Contenders is { } only) contenders.RemoveAll(c => !only.Contains(c.Name));
            if (contenders.Count == 0) throw new ArgumentException("--pull-contenders names none of the contenders that can run here");
            var results = new[] { large, index }.Select(image => FreshAgain.Measure("pull", image, contenders, options.Runs)).ToList();
            foreach (var result in results) result.Print();
            PrintTargets(results, contenders[0].Name, options.Runs);
        }
        finally
        {
            foreach (var contender in contenders) contender.Dispose();
        }
    }

    private static void PrintTargets(IReadOnlyList<FreshAgainResults> results, string ours, int runs)
    {
        var (large, index) = (results[0], results[1]);
        var checks = new List<string>
        {
            large.Check("fresh", ours, "skopeo", 0.8),
            large.Check("fresh", ours, "ctr", 0.5),
            index.Check("fresh", ours, "skopeo", 0.8),
            large.Check("again", ours, "skopeo", 0.5),
            index.Check("again", ours, "skopeo", 0.5),
        };
        Console.WriteLine($"pull targets ({ours}, median of {runs}):");
        foreach (var check in checks.Where(c => c.Length > 0)) Console.WriteLine("  " + check);
    }
}
