using System.Globalization;
using ContentPS.TestFixtures;

namespace ContentPS.Benchmarks;

/// <summary>The sizes and repetitions of <see cref="PullBenchmark"/>.</summary>
internal sealed record PullBenchmarkOptions
{
    public int Runs { get; init; } = 5;

    public int Layers { get; init; } = 8;

    public int LayerMiB { get; init; } = 64;

    public int Platforms { get; init; } = 16;

    public int PlatformLayers { get; init; } = 16;

    public int SmallLayerKiB { get; init; } = 16;

    /// <summary>Only these contenders (Save-ImageContent, ImagePull, skopeo, ctr); null: all that can run.</summary>
    public IReadOnlySet<string>? Contenders { get; init; }
}

/// <summary>
/// Issue 6's pull benchmark: on one local registry (the test fixtures' docker-registry, plain HTTP on
/// 127.0.0.1), Save-ImageContent in a hosted runspace that has imported the built module (and the engine's
/// <c>ImagePull</c> called directly, when the cmdlet is missing or as a second row) against
/// <c>skopeo copy docker://… oci:&lt;dir&gt;</c> and <c>ctr content fetch</c> through a private containerd:
/// (a) one manifest of large incompressible layers, (b) an index of many platforms of small layers (every
/// platform: -AllPlatforms, skopeo --all, ctr --all-platforms), (c) each pull again into the store that has
/// everything. Each repetition gives every contender a fresh store (a new daemon for ctr), times the pull,
/// checks that the store holds every blob, then times the same pull again; the contenders take turns
/// first. Medians of the repetitions; ratios and the issue's targets printed.
/// </summary>
internal static class PullBenchmark
{
    public static void Run(PullBenchmarkOptions options)
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

    private static async Task RunAsync(PullBenchmarkOptions options, string manifest, string work)
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryFlavor.Plain).ConfigureAwait(false);
        var large = await PullImages.LayersAsync(
            registry, work, $"(a) {options.Layers}x{options.LayerMiB} MiB", "bench/layers", options.Layers, (long)options.LayerMiB << 20).ConfigureAwait(false);
        var index = await PullImages.IndexAsync(
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
            if (ContainerdDaemon.Unavailable() is { } reason) Console.WriteLine($"pull: no ctr column: {reason}");
            else contenders.Add(new CtrContender(work));

            if (options.Contenders is { } only) contenders.RemoveAll(c => !only.Contains(c.Name));
            if (contenders.Count == 0) throw new ArgumentException("--pull-contenders names none of the contenders that can run here");
            var results = new[] { large, index }.Select(image => Measure(image, contenders, options.Runs)).ToList();
            foreach (var result in results) result.Print();
            PrintTargets(results, contenders[0].Name, options.Runs);
        }
        finally
        {
            foreach (var contender in contenders) contender.Dispose();
        }
    }

    private static PullResults Measure(PullImage image, IReadOnlyList<PullContender> contenders, int runs)
    {
        var results = new PullResults(image, contenders.Select(c => c.Name).ToList());
        for (var run = 0; run < runs; run++)
        {
            for (var turn = 0; turn < contenders.Count; turn++)
            {
                var contender = contenders[(run + turn) % contenders.Count];
                contender.Fresh();
                results.Fresh[contender.Name].Add(Measurement.Time(() => contender.Pull(image)));
                var stored = contender.StoredBlobs();
                if (stored != image.Blobs)
                {
                    throw new InvalidOperationException($"{contender.Name} stored {stored} blobs of {image.Label}, not all {image.Blobs}: not a like-for-like pull");
                }

                results.Again[contender.Name].Add(Measurement.Time(() => contender.Pull(image)));
                contender.Dispose();
            }
        }

        return results;
    }

    private static void PrintTargets(IReadOnlyList<PullResults> results, string ours, int runs)
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

    /// <summary>The samples of one image: fresh pulls and pulls again, per contender.</summary>
    private sealed class PullResults(PullImage image, IReadOnlyList<string> names)
    {
        public PullImage Image { get; } = image;

        public Dictionary<string, List<TimeSpan>> Fresh { get; } = names.ToDictionary(n => n, _ => new List<TimeSpan>());

        public Dictionary<string, List<TimeSpan>> Again { get; } = names.ToDictionary(n => n, _ => new List<TimeSpan>());

        public void Print()
        {
            var ours = names.Where(n => n is "Save-ImageContent" or "ImagePull").ToList();
            var peers = names.Except(ours).ToList();
            foreach (var (kind, samples) in new[] { ("fresh", Fresh), ("again", Again) })
            {
                var label = Label(kind);
                foreach (var our in ours)
                {
                    foreach (var peer in peers)
                    {
                        Report.Row($"pull {label} [{our}]", Image.Bytes, Measurement.Median(samples[our]), peer, Measurement.Median(samples[peer]));
                    }
                }

                Console.WriteLine($"  {label}, {Image.Blobs} blobs, ms per run: " + string.Join("; ",
                    names.Select(n => $"{n} {string.Join(" ", samples[n].Select(s => s.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))}")));
            }
        }

        public string Check(string kind, string ours, string peer, double target)
        {
            var samples = kind == "fresh" ? Fresh : Again;
            if (!samples.ContainsKey(peer)) return $"{Label(kind)}: {ours}/{peer}: no {peer} (see above)";
            var ratio = Measurement.Median(samples[ours]) / Measurement.Median(samples[peer]);
            return $"{Label(kind)}: {ours}/{peer} {ratio:F2} (target <= {target:F1}: {(ratio <= target ? "met" : "MISSED")})";
        }

        private string Label(string kind) => kind == "fresh" ? Image.Label : "(c) " + Image.Label[4..] + " again";
    }
}
