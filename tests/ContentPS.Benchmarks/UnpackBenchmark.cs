using System.Globalization;

namespace ContentPS.Benchmarks;

/// <summary>
/// Issue 9's unpack benchmark: an image of <c>layers</c> gzip layers of <c>layerMiB</c> each, many small files
/// (<see cref="SmallFilesLayout"/>), imported into a store (untimed); then Expand-Image in a hosted runspace that
/// imported the built module against <c>umoci raw unpack --rootless</c> reading the same OCI layout, each into a
/// directory that does not exist yet, taking turns first; medians of the runs, checked to leave the same number of
/// entries. Then memory: the peak resident set of this process above its settled size during one Expand-Image of
/// the image and of one with layers a quarter the size, measured before the timed runs (VmHWM reset through /proc/self/clear_refs, and sampled);
/// flat memory means the two growths are about the same although the layers differ fourfold.
/// Every target stays until the end: on ext4 each file created scans past the inodes deleted in the last
/// minutes, so deleting one run's 19,000 files would slow every later run, whichever tool it is.
/// </summary>
internal static class UnpackBenchmark
{
    private const string RecordName = "bench/unpack:bench";
    private const string QuarterRecordName = "bench/unpack:quarter";

    public static void Run(int runs, int layers, int layerMiB)
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.WriteLine("unpack: skipped (umoci and /proc: Linux only)");
            return;
        }

        var repository = ProgressPreferenceBenchmark.FindRepositoryRoot();
        var work = Path.Combine(Path.GetTempPath(), $"contentps-unpack-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            RunIn(Path.Combine(repository, "ContentPS.psd1"), work, runs, layers, layerMiB);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void RunIn(string manifest, string work, int runs, int layers, int layerMiB)
    {
        using var module = HostedModule.Open(manifest);
        if (!module.Has("Expand-Image"))
        {
            Console.WriteLine("unpack: the built module has no Expand-Image; run build.ps1 Build first");
            return;
        }

        var image = SmallFilesLayout.Write(Path.Combine(work, "layout"), "bench", layers, (long)layerMiB << 20, seed: 9);
        var store = Path.Combine(work, "store");
        Import(module, image, store, RecordName);

        // Memory first, while the process has done nothing large yet (the timed runs would leave their heap behind).
        var quarter = SmallFilesLayout.Write(Path.Combine(work, "layout-quarter"), "bench", layers, Math.Max(1, (long)layerMiB << 20 >> 2), seed: 10);
        Import(module, quarter, store, QuarterRecordName);
        var small = PeakGrowth(module, store, QuarterRecordName, Path.Combine(work, "rootfs-memory-quarter"));
        var large = PeakGrowth(module, store, RecordName, Path.Combine(work, "rootfs-memory"));
        var memory =
            $"unpack memory (peak resident set above the settled process, one Expand-Image): {quarter.Label}: +{Mib(small.Growth)} MiB; " +
            $"{image.Label}: +{Mib(large.Growth)} MiB{(small.Reset && large.Reset ? "" : " (sampled; VmHWM could not be reset)")}; " +
            $"layers x{(double)image.DataBytes / quarter.DataBytes:F1}, growth x{(double)Math.Max(1, large.Growth) / Math.Max(1, small.Growth):F2} (flat: about 1); settled before {Mib(small.Before)} and {Mib(large.Before)} MiB";

        var contenders = new List<IUnpackContender> { new ExpandImageContender(module, store, RecordName), new UmociContender(image) };
        var samples = contenders.ToDictionary(c => c.Name, _ => new List<TimeSpan>());
        for (var run = 0; run < runs; run++)
        {
            for (var turn = 0; turn < contenders.Count; turn++)
            {
                var contender = contenders[(run + turn) % contenders.Count];
                var target = Path.Combine(work, $"rootfs-{contender.Name}-{run}");
                samples[contender.Name].Add(Measurement.Time(() => contender.Run(target)));
                var entries = Directory.EnumerateFileSystemEntries(target, "*", SearchOption.AllDirectories).LongCount();
                if (entries != image.Entries)
                {
                    throw new InvalidOperationException($"{contender.Name} left {entries} entries of {image.Label}, not {image.Entries}: not a like-for-like unpack");
                }
            }
        }

        var ours = Measurement.Median(samples["Expand-Image"]);
        var umoci = Measurement.Median(samples["umoci"]);
        Report.Row($"unpack {image.Label} [Expand-Image]", image.DataBytes, ours, "umoci", umoci);
        Console.WriteLine($"  {image.Files} files, {image.Directories} directories; ms per run: " + string.Join("; ",
            samples.Select(s => $"{s.Key} {string.Join(" ", s.Value.Select(t => t.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))}")));
        var ratio = ours / umoci;
        Console.WriteLine($"unpack target (median of {runs}): Expand-Image/umoci {ratio:F2} (target <= 1.0: {(ratio <= 1.0 ? "met" : "MISSED")})");
        Console.WriteLine(memory);
    }

    private static void Import(HostedModule module, SmallFilesImage image, string store, string name) => module.Invoke(shell =>
        shell.AddCommand("Import-Image").AddParameter("Path", image.Layout).AddParameter("Name", name).AddParameter("Store", store));

    /// <summary>This process's peak resident set during one Expand-Image, above what it was just before (after a full GC).</summary>
    private static (long Growth, long Before, bool Reset) PeakGrowth(HostedModule module, string store, string name, string target)
    {
        var pid = Environment.ProcessId;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = PullMemoryBenchmark.Status(pid, "VmRSS");
        var reset = TryResetPeak();
        long peak;
        using (var sampler = new PullMemoryBenchmark.PeakSampler(pid))
        {
            new ExpandImageContender(module, store, name).Run(target);
            peak = Math.Max(sampler.Stop(), reset ? PullMemoryBenchmark.Status(pid, "VmHWM") : 0);
        }

        return (peak - before, before, reset);
    }

    private static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Mib(long bytes) => bytes >> 20;
}
