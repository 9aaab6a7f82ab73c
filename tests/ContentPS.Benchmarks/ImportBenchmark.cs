using System.Diagnostics;
using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;

namespace ContentPS.Benchmarks;

/// <summary>
/// Import-Blob's code path (<see cref="BlobImport.ImportFileAsync"/>) on a file of <c>--import-mib</c> MiB
/// (default 1024) into a fresh temporary store, next to <c>sha256sum</c> and <c>cp</c> of the same file in
/// the same run, and of <c>dd conv=fsync</c> (a copy that, like a commit, reaches the disk). The peak working set is measured in child processes (this executable with
/// <c>--import-child</c>) importing a small and the large file: it must not grow with the file.
/// </summary>
internal static class ImportBenchmark
{
    public const string ChildSwitch = "--import-child";

    public static void Run(long sizeBytes, int runs)
    {
        var root = Path.Combine(Path.GetTempPath(), $"contentps-import-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        var file = Path.Combine(root, "source.bin");
        var small = Path.Combine(root, "small.bin");
        try
        {
            DigestBenchmark.WriteRandomFile(file, sizeBytes);
            DigestBenchmark.WriteRandomFile(small, 64L << 20);
            var store = Path.Combine(root, "store");
            Digest? digest = null;
            var ours = Measurement.BestOf(runs, () =>
            {
                if (Directory.Exists(store)) Directory.Delete(store, recursive: true);
                var opened = LocalContentStore.Open(store);
                digest = BlobImport.ImportFileAsync(opened, file).GetAwaiter().GetResult().Digest;
            });
            var sha = Measurement.BestOf(runs, () => Measurement.RunProcess("sha256sum", file));
            var copy = Path.Combine(root, "copy.bin");
            var cp = Measurement.BestOf(runs, () =>
            {
                File.Delete(copy);
                Measurement.RunProcess("cp", file, copy);
            });
            // Import commits durably (fsync before the atomic rename): cp followed by fsync is the fair floor.
            var durable = Measurement.BestOf(runs, () =>
            {
                File.Delete(copy);
                Measurement.RunProcess("dd", $"if={file}", $"of={copy}", "bs=1M", "conv=fsync", "status=none");
            });
            File.Delete(copy);

            var peakSmall = ChildPeakWorkingSet(Path.Combine(root, "store-small"), small);
            var peakLarge = ChildPeakWorkingSet(Path.Combine(root, "store-large"), file);

            Report.Row("import (Import-Blob)", sizeBytes, ours, "sha256sum", sha);
            Report.Row("import (Import-Blob)", sizeBytes, ours, "cp", cp);
            Report.Row("import (Import-Blob)", sizeBytes, ours, "cp+fsync", durable);
            Console.WriteLine(
                $"import throughput: ContentPS {Rate(sizeBytes, ours):F0} MiB/s, sha256sum {Rate(sizeBytes, sha):F0} MiB/s, cp {Rate(sizeBytes, cp):F0} MiB/s, cp+fsync (dd conv=fsync) {Rate(sizeBytes, durable):F0} MiB/s; " +
                $"ContentPS/sha256sum {Rate(sizeBytes, ours) / Rate(sizeBytes, sha):P0} (target >= 75%); digest {digest}");
            Console.WriteLine(
                $"import peak working set (child process): {peakSmall / (1 << 20)} MiB importing 64 MiB, {peakLarge / (1 << 20)} MiB importing {sizeBytes >> 20} MiB " +
                $"(buffers: {(BlobImport.ChunksAhead + 2) * BlobImport.ChunkSize >> 20} MiB)");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>In the child: import <paramref name="file"/> into <paramref name="store"/>, print the peak working set.</summary>
    public static int RunChild(string store, string file)
    {
        BlobImport.ImportFileAsync(LocalContentStore.Open(store), file).GetAwaiter().GetResult();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(self.PeakWorkingSet64);
        return 0;
    }

    private static long ChildPeakWorkingSet(string store, string file)
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet") info.ArgumentList.Add(typeof(ImportBenchmark).Assembly.Location);
        info.ArgumentList.Add(ChildSwitch);
        info.ArgumentList.Add(store);
        info.ArgumentList.Add(file);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the import child");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"import child exited with {process.ExitCode}: {error}");
        return long.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static double Rate(long bytes, TimeSpan time) => bytes / (1024.0 * 1024.0) / time.TotalSeconds;
}
