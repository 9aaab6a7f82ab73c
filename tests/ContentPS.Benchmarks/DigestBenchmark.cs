using ContentPS.Engine.Oci;

namespace ContentPS.Benchmarks;

/// <summary>
/// Digest verification speed bounds every pull and commit: ContentPS's streaming digester
/// against coreutils' sha256sum on the same file, in the same run.
/// </summary>
internal static class DigestBenchmark
{
    public static void Run(long sizeBytes, int runs)
    {
        var path = Path.Combine(Path.GetTempPath(), $"contentps-bench-{Environment.ProcessId}.bin");
        try
        {
            WriteRandomFile(path, sizeBytes);
            var ours = Measurement.BestOf(runs, () =>
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
                Digest.FromStreamAsync(stream).GetAwaiter().GetResult();
            });
            var peer = Measurement.BestOf(runs, () => Measurement.RunProcess("sha256sum", path));
            Report.Row("sha256 digest", sizeBytes, ours, "sha256sum", peer);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static void WriteRandomFile(string path, long size)
    {
        var random = new Random(42);
        var buffer = new byte[1 << 20];
        using var file = File.Create(path);
        for (long written = 0; written < size; written += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
    }
}
