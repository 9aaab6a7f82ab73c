using System.Diagnostics;

namespace ContentPS.Benchmarks;

/// <summary>Best-of-N wall-clock timing: the minimum is the least disturbed run on a shared machine.</summary>
internal static class Measurement
{
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

    public static void RunProcess(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {error}");
    }
}
