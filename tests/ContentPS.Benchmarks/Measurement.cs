using System.Diagnostics;

namespace ContentPS.Benchmarks;

/// <summary>
/// Wall-clock timing: best of N (the least disturbed run on a shared machine) or the median of N (what a
/// user sees on a typical run; the pull benchmark's figure).
/// </summary>
internal static class Measurement
{
    public static TimeSpan Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        watch.Stop();
        return watch.Elapsed;
    }

    public static TimeSpan Median(IReadOnlyCollection<TimeSpan> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples", nameof(samples));
        var sorted = samples.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static TimeSpan BestOf(int runs, Action action)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            watch.Stop();
            if (watch.Elapsed < best) best = watch.Elapsed;
        }
        return best;
    }

    /// <summary>Runs a program to its end and returns its standard output; a non-zero exit is an exception with its standard error.</summary>
    public static string RunProcess(string file, params string[] arguments) => RunProcessIn(null, file, arguments);

    /// <inheritdoc cref="RunProcess"/>
    public static string RunProcessIn(string? workingDirectory, string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}");
        return output;
    }
}
