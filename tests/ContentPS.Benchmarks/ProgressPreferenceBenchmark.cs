using System.Diagnostics;
using System.Text.Json;

namespace ContentPS.Benchmarks;

/// <summary>
/// Issue 3: "<c>$ProgressPreference = 'SilentlyContinue'</c> costs nothing measurable". Import-Blob, the
/// most progress-heavy cmdlet so far, runs in a pwsh child (<c>dotnet pwsh</c>, the repository's local
/// tool) with the built module (module/: run <c>build.ps1 Build</c> first) on many small files and on one
/// large file, with <c>$ProgressPreference</c> Continue and SilentlyContinue (Scripts/ProgressPreference.ps1).
/// The ratio Continue/SilentlyContinue is what showing progress costs; below 1 would mean that the silent
/// path does extra work. A child process, because the module's ContentPS.Engine.dll cannot load beside
/// the one this executable references.
/// </summary>
internal static class ProgressPreferenceBenchmark
{
    private const int SmallFileSize = 16 * 1024;

    public static void Run(int smallFileCount, long largeBytes, int runs)
    {
        var repository = FindRepositoryRoot();
        var root = Path.Combine(Path.GetTempPath(), $"contentps-progress-bench-{Environment.ProcessId}");
        var smallDirectory = Path.Combine(root, "small");
        Directory.CreateDirectory(smallDirectory);
        try
        {
            for (var i = 0; i < smallFileCount; i++)
            {
                DigestBenchmark.WriteRandomFile(Path.Combine(smallDirectory, $"f{i:D5}.bin"), SmallFileSize);
            }

            var large = Path.Combine(root, "large.bin");
            DigestBenchmark.WriteRandomFile(large, largeBytes);

            Measure(repository, root, $"{smallFileCount} x 16 KiB", Path.Combine(smallDirectory, "*"), (long)smallFileCount * SmallFileSize, runs);
            Measure(repository, root, $"1 x {largeBytes >> 20} MiB", large, largeBytes, runs);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Measure(string repository, string root, string label, string path, long bytes, int runs)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "ProgressPreference.ps1");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = repository, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", script,
                     "-Manifest", Path.Combine(repository, "ContentPS.psd1"), "-Path", path, "-WorkDirectory", root, "-Runs", runs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start dotnet pwsh");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"the progress benchmark script exited with {process.ExitCode}: {error.Result}");

        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith('{'));
        using var result = JsonDocument.Parse(line);
        var shown = TimeSpan.FromMilliseconds(result.RootElement.GetProperty("continueMs").GetDouble());
        var silent = TimeSpan.FromMilliseconds(result.RootElement.GetProperty("silentMs").GetDouble());
        Report.Row($"Import-Blob {label}", bytes, shown, "silent", silent);
        Console.WriteLine(
            $"progress cost, Import-Blob {label}: Continue {shown.TotalMilliseconds:F0} ms ({result.RootElement.GetProperty("continueRecords").GetInt32()} progress records), " +
            $"SilentlyContinue {silent.TotalMilliseconds:F0} ms ({result.RootElement.GetProperty("silentRecords").GetInt32()} records); " +
            $"Continue/SilentlyContinue {shown / silent:F3} (best of {runs})");
    }

    // The repository root: ContentPS.psd1 beside module/ContentPS.dll (build.ps1 Build puts it there).
    internal static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ContentPS.psd1")) && File.Exists(Path.Combine(directory.FullName, "module", "ContentPS.dll")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the built module is missing: run build.ps1 Build first (it writes module/ContentPS.dll)");
    }
}
