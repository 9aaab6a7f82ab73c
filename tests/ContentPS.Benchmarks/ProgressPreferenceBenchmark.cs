using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ContentPS.Benchmarks;

/// <summary>
/// Issue 3: "<c>$ProgressPreference = 'SilentlyContinue'</c> costs nothing measurable". Import-Blob, the
/// most progress-heavy cmdlet so far, runs in an in-process PowerShell with the built module (module/,
/// so run <c>build.ps1 Build</c> first) on many small files and on one large file, with
/// <c>$ProgressPreference</c> Continue and SilentlyContinue alternating, best of several rounds, each into a
/// fresh store. The ratio Continue/SilentlyContinue shows what showing progress costs; SilentlyContinue
/// must not be slower than Continue (a ratio well below 1 would mean the silent path does extra work).
/// </summary>
internal static class ProgressPreferenceBenchmark
{
    private const string ImportScript = """
        param($Store, $Path, $Preference)
        $ProgressPreference = $Preference
        Import-Blob -Path $Path -Store $Store | Out-Null
        """;

    public static void Run(int smallFileCount, long largeBytes, int runs)
    {
        var root = Path.Combine(Path.GetTempPath(), $"contentps-progress-bench-{Environment.ProcessId}");
        var smallDirectory = Path.Combine(root, "small");
        Directory.CreateDirectory(smallDirectory);
        try
        {
            const int smallSize = 16 * 1024;
            for (var i = 0; i < smallFileCount; i++)
            {
                DigestBenchmark.WriteRandomFile(Path.Combine(smallDirectory, $"f{i:D5}.bin"), smallSize);
            }

            var large = Path.Combine(root, "large.bin");
            DigestBenchmark.WriteRandomFile(large, largeBytes);

            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            Invoke(runspace, "param($Manifest) Import-Module $Manifest -ErrorAction Stop", ("Manifest", FindModuleManifest()));

            Measure(runspace, root, $"{smallFileCount} x 16 KiB", Path.Combine(smallDirectory, "*"), (long)smallFileCount * smallSize, runs);
            Measure(runspace, root, $"1 x {largeBytes >> 20} MiB", large, largeBytes, runs);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Measure(Runspace runspace, string root, string label, string path, long bytes, int runs)
    {
        var shown = TimeSpan.MaxValue;
        var silent = TimeSpan.MaxValue;
        int shownRecords = 0, silentRecords = 0;
        // Alternate the two modes round by round so that drift on a shared machine hits both alike.
        for (var round = 0; round < runs; round++)
        {
            var (time, records) = ImportOnce(runspace, root, path, "Continue");
            (shown, shownRecords) = (Min(shown, time), records);
            (time, records) = ImportOnce(runspace, root, path, "SilentlyContinue");
            (silent, silentRecords) = (Min(silent, time), records);
        }

        Report.Row($"Import-Blob {label}", bytes, shown, "silent", silent);
        Console.WriteLine(
            $"progress cost, Import-Blob {label}: Continue {shown.TotalMilliseconds:F0} ms ({shownRecords} progress records), " +
            $"SilentlyContinue {silent.TotalMilliseconds:F0} ms ({silentRecords} records); Continue/SilentlyContinue {shown / silent:F3} (best of {runs})");
    }

    private static (TimeSpan Time, int ProgressRecords) ImportOnce(Runspace runspace, string root, string path, string preference)
    {
        var store = Path.Combine(root, $"store-{Guid.NewGuid():N}");
        try
        {
            using var shell = PowerShell.Create(runspace);
            shell.AddScript(ImportScript).AddParameter("Store", store).AddParameter("Path", path).AddParameter("Preference", preference);
            var watch = Stopwatch.StartNew();
            shell.Invoke();
            watch.Stop();
            ThrowOnErrors(shell);
            return (watch.Elapsed, shell.Streams.Progress.Count);
        }
        finally
        {
            if (Directory.Exists(store)) Directory.Delete(store, recursive: true);
        }
    }

    private static void Invoke(Runspace runspace, string script, params (string Name, object Value)[] parameters)
    {
        using var shell = PowerShell.Create(runspace);
        shell.AddScript(script);
        foreach (var (name, value) in parameters) shell.AddParameter(name, value);
        shell.Invoke();
        ThrowOnErrors(shell);
    }

    private static void ThrowOnErrors(PowerShell shell)
    {
        if (shell.HadErrors || shell.Streams.Error.Count > 0)
        {
            throw new InvalidOperationException("the benchmark script failed: " + string.Join("; ", shell.Streams.Error.Select(e => e.ToString())));
        }
    }

    // The repository's ContentPS.psd1 (it loads the module from module/, where build.ps1 Build puts it).
    private static string FindModuleManifest()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var manifest = Path.Combine(directory.FullName, "ContentPS.psd1");
            if (File.Exists(manifest) && File.Exists(Path.Combine(directory.FullName, "module", "ContentPS.dll")))
            {
                return manifest;
            }
        }

        throw new InvalidOperationException("the built module is missing: run build.ps1 Build first (it writes module/ContentPS.dll)");
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
