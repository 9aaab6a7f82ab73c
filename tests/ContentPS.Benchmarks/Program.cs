namespace ContentPS.Benchmarks;

/// <summary>
/// build.ps1 Bench: ratios against peer tools on the same machine in the same run. Not part of Test:
/// timings are reported, never asserted. <c>--only a,b</c> runs some of them: digest, import, progress,
/// pull, pull-memory, import-module, copy, unpack.
/// </summary>
public static class Program
{
    private static readonly string[] Benchmarks = ["digest", "import", "progress", "pull", "pull-memory", "import-module", "copy", "unpack"];

    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == ImportBenchmark.ChildSwitch)
        {
            return ImportBenchmark.RunChild(args[1], args[2]);
        }

        var sizeMiB = ReadOption(args, "--size-mib", 512);
        var importMiB = ReadOption(args, "--import-mib", 1024);
        var runs = ReadOption(args, "--runs", 3);
        var progressFiles = ReadOption(args, "--progress-files", 1000);
        var progressMiB = ReadOption(args, "--progress-mib", 256);
        var progressRuns = ReadOption(args, "--progress-runs", 5);
        var selected = ReadSelection(args);
        Report.Header();
        if (selected.Contains("digest")) DigestBenchmark.Run(sizeMiB * 1024L * 1024L, runs);
        if (selected.Contains("import")) ImportBenchmark.Run(importMiB * 1024L * 1024L, runs);
        if (selected.Contains("progress")) ProgressPreferenceBenchmark.Run(progressFiles, progressMiB * 1024L * 1024L, progressRuns);
        if (selected.Contains("pull")) PullBenchmark.Run(ReadTransferOptions(args, "pull"));
        if (selected.Contains("pull-memory")) PullMemoryBenchmark.Run(ReadOption(args, "--pull-memory-mib", 1024));
        if (selected.Contains("import-module")) ImportModuleBenchmark.Run(ReadOption(args, "--import-module-runs", 7));
        if (selected.Contains("copy")) CopyBenchmark.Run(ReadTransferOptions(args, "copy"));
        if (selected.Contains("unpack")) UnpackBenchmark.Run(ReadOption(args, "--unpack-runs", 3), ReadOption(args, "--unpack-layers", 3), ReadOption(args, "--unpack-layer-mib", 100));
        return 0;
    }

    // --pull-runs, --pull-layers, ... or --copy-runs, --copy-layers, ...
    private static TransferBenchmarkOptions ReadTransferOptions(string[] args, string prefix) => new()
    {
        Runs = ReadOption(args, $"--{prefix}-runs", 5),
        Layers = ReadOption(args, $"--{prefix}-layers", 8),
        LayerMiB = ReadOption(args, $"--{prefix}-layer-mib", 64),
        Platforms = ReadOption(args, $"--{prefix}-platforms", 16),
        PlatformLayers = ReadOption(args, $"--{prefix}-platform-layers", 16),
        SmallLayerKiB = ReadOption(args, $"--{prefix}-small-kib", 16),
        Contenders = ReadList(args, $"--{prefix}-contenders"),
    };

    private static int ReadOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) && value > 0 ? value : fallback;
    }

    private static HashSet<string>? ReadList(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length
            ? [.. args[index + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : null;
    }

    // --only digest,pull: those benchmarks; no --only: all of them.
    private static HashSet<string> ReadSelection(string[] args)
    {
        var index = Array.IndexOf(args, "--only");
        if (index < 0) return [.. Benchmarks];
        if (index + 1 >= args.Length) throw new ArgumentException($"--only needs one or more of: {string.Join(", ", Benchmarks)}");
        var names = args[index + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Except(Benchmarks).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"unknown benchmark {string.Join(", ", unknown)}; use: {string.Join(", ", Benchmarks)}");
        return [.. names];
    }
}
