using System.Globalization;
using System.Text.Json;

namespace ContentPS.Benchmarks;

/// <summary>
/// Issue 6: "pwsh's time to Import-Module (target ≤ 300 ms)": the built module imported by its manifest in
/// fresh <c>dotnet pwsh</c> processes (Scripts/ImportModuleTime.ps1 times the Import-Module call alone),
/// median of several processes. Also, in other fresh processes, the same import after a module that ships
/// with pwsh (Microsoft.PowerShell.Security, a binary module) was imported first: the first Import-Module of
/// any binary module in a process pays for PowerShell's own import machinery, and this separates that
/// cost from ContentPS's.
/// </summary>
internal static class ImportModuleBenchmark
{
    private const string WarmupModule = "Microsoft.PowerShell.Security";
    private static readonly TimeSpan Target = TimeSpan.FromMilliseconds(300);

    public static void Run(int processes)
    {
        var repository = ProgressPreferenceBenchmark.FindRepositoryRoot();
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "ImportModuleTime.ps1");
        var manifest = Path.Combine(repository, "ContentPS.psd1");
        var first = new List<TimeSpan>();
        var warmup = new List<TimeSpan>();
        var afterWarmup = new List<TimeSpan>();
        for (var i = 0; i < processes; i++)
        {
            first.Add(Import(repository, script, manifest, null).ContentPS);
            var (warm, after) = Import(repository, script, manifest, WarmupModule);
            warmup.Add(warm);
            afterWarmup.Add(after);
        }

        var median = Measurement.Median(first);
        Console.WriteLine(
            $"Import-Module ContentPS as the first import of a fresh pwsh: median {median.TotalMilliseconds:F0} ms of {processes} processes ({Samples(first)}); " +
            $"target <= {Target.TotalMilliseconds:F0} ms: {(median <= Target ? "met" : "MISSED")}");
        Console.WriteLine(
            $"  in other fresh processes, {WarmupModule} first: it takes median {Measurement.Median(warmup).TotalMilliseconds:F0} ms ({Samples(warmup)}), " +
            $"then Import-Module ContentPS median {Measurement.Median(afterWarmup).TotalMilliseconds:F0} ms ({Samples(afterWarmup)})");
    }

    private static (TimeSpan Warmup, TimeSpan ContentPS) Import(string repository, string script, string manifest, string? warmup)
    {
        List<string> arguments = ["pwsh", "-NoProfile", "-NonInteractive", "-File", script, "-Manifest", manifest];
        if (warmup is not null) arguments.AddRange(["-Warmup", warmup]);
        // In the repository: dotnet finds the pwsh tool from its tool manifest.
        var output = Measurement.RunProcessIn(repository, "dotnet", [.. arguments]);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith('{'));
        using var json = JsonDocument.Parse(line);
        return (TimeSpan.FromMilliseconds(json.RootElement.GetProperty("warmupMs").GetDouble()),
            TimeSpan.FromMilliseconds(json.RootElement.GetProperty("contentpsMs").GetDouble()));
    }

    private static string Samples(IEnumerable<TimeSpan> samples) =>
        string.Join(" ", samples.Select(s => s.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)));
}
