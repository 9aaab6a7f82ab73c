using System.Globalization;

namespace ContentPS.Benchmarks;

/// <summary>
/// Issue 6: "pwsh's time to Import-Module (target ≤ 300 ms)": the built module imported by its manifest in
/// fresh <c>dotnet pwsh</c> processes (Scripts/ImportModuleTime.ps1 times the Import-Module call alone), median
/// of several processes.
/// </summary>
internal static class ImportModuleBenchmark
{
    private static readonly TimeSpan Target = TimeSpan.FromMilliseconds(300);

    public static void Run(int processes)
    {
        var repository = ProgressPreferenceBenchmark.FindRepositoryRoot();
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "ImportModuleTime.ps1");
        var manifest = Path.Combine(repository, "ContentPS.psd1");
        var samples = new List<TimeSpan>();
        for (var i = 0; i < processes; i++)
        {
            // In the repository: dotnet finds the pwsh tool from its tool manifest.
            var output = Measurement.RunProcessIn(repository, "dotnet", "pwsh", "-NoProfile", "-NonInteractive", "-File", script, "-Manifest", manifest);
            var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
            samples.Add(TimeSpan.FromMilliseconds(double.Parse(last, CultureInfo.InvariantCulture)));
        }

        var median = Measurement.Median(samples);
        Console.WriteLine(
            $"Import-Module ContentPS in a fresh pwsh: median {median.TotalMilliseconds:F0} ms of {processes} processes " +
            $"({string.Join(" ", samples.Select(s => s.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))}); " +
            $"target <= {Target.TotalMilliseconds:F0} ms: {(median <= Target ? "met" : "MISSED")}");
    }
}
