namespace ContentPS.Benchmarks;

/// <summary>
/// build.ps1 Bench: ratios against peer tools on the same machine in the same run. Not part of Test:
/// timings are reported, never asserted.
/// </summary>
public static class Program
{
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
        // --only progress: just the $ProgressPreference measurement.
        var onlyProgress = args.Contains("--only") && Array.IndexOf(args, "--only") + 1 < args.Length && args[Array.IndexOf(args, "--only") + 1] == "progress";
        Report.Header();
        if (!onlyProgress)
        {
            DigestBenchmark.Run(sizeMiB * 1024L * 1024L, runs);
            ImportBenchmark.Run(importMiB * 1024L * 1024L, runs);
        }

        ProgressPreferenceBenchmark.Run(progressFiles, progressMiB * 1024L * 1024L, progressRuns);
        return 0;
    }

    private static int ReadOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) && value > 0 ? value : fallback;
    }
}
