using System.Diagnostics;
using System.Globalization;
using ContentPS.TestFixtures;

namespace ContentPS.Benchmarks;

/// <summary>
/// Issue 6: "the peak working set during a single 1 GiB layer pull (target: under 100 MiB above the idle pwsh
/// process)". A real pwsh (<c>dotnet pwsh</c>, Scripts/PullMemory.ps1) imports the built module and waits;
/// its resident set then is the idle figure. The peak resident set (Linux <c>VmHWM</c>) is reset to it by
/// writing 5 to <c>/proc/&lt;pid&gt;/clear_refs</c>, the pull runs, and the peak is read back, and also
/// sampled every 20 ms in case the kernel refuses the reset.
/// </summary>
internal static class PullMemoryBenchmark
{
    private const long TargetBytes = 100L << 20;

    public static void Run(int layerMiB)
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.WriteLine("pull memory: skipped (reads /proc, Linux only)");
            return;
        }

        var repository = ProgressPreferenceBenchmark.FindRepositoryRoot();
        var work = Path.Combine(Path.GetTempPath(), $"contentps-pull-memory-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            RunAsync(repository, work, layerMiB).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task RunAsync(string repository, string work, int layerMiB)
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryFlavor.Plain).ConfigureAwait(false);
        var image = await BenchImages.LayersAsync(registry, work, $"1 x {layerMiB} MiB", "bench/huge", 1, (long)layerMiB << 20).ConfigureAwait(false);

        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "PullMemory.ps1");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repository, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", script,
                     "-Manifest", Path.Combine(repository, "ContentPS.psd1"), "-Reference", image.Reference, "-Store", Path.Combine(work, "store") })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start dotnet pwsh");
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            var pid = int.Parse(Expect(process, "ready", error), CultureInfo.InvariantCulture);
            Thread.Sleep(500); // let the import settle
            var idle = Status(pid, "VmRSS");
            var idlePeak = Status(pid, "VmHWM");
            var reset = TryResetPeak(pid);
            using var sampler = new PeakSampler(pid);
            var clock = Stopwatch.StartNew();
            process.StandardInput.WriteLine("go");
            var how = Expect(process, "done", error);
            clock.Stop();
            var peak = Math.Max(sampler.Stop(), reset ? Status(pid, "VmHWM") : 0);
            process.StandardInput.WriteLine("exit");
            process.WaitForExit();

            var above = peak - idle;
            Console.WriteLine(
                $"pull memory, {image.Label} layer in pwsh ({how}, {clock.Elapsed.TotalSeconds:F1} s): idle after Import-Module {Mib(idle)} MiB " +
                $"(peak before the pull {Mib(idlePeak)} MiB), peak during the pull {Mib(peak)} MiB{(reset ? "" : " (sampled; VmHWM could not be reset)")}; " +
                $"{Mib(above)} MiB above idle (target < {Mib(TargetBytes)} MiB: {(above < TargetBytes ? "met" : "MISSED")})");
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    // Reads stdout until the line that starts with "<word> " and returns the rest of it.
    private static string Expect(Process process, string word, Task<string> error)
    {
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(word + " ", StringComparison.Ordinal)) return line[(word.Length + 1)..].Trim();
        }

        process.WaitForExit();
        throw new InvalidOperationException($"the pull-memory script ended ({process.ExitCode}) before \"{word}\": {error.Result}");
    }

    /// <summary>A field of /proc/&lt;pid&gt;/status in bytes (the kernel writes kB).</summary>
    internal static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var value = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(value, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field}");
    }

    private static bool TryResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Mib(long bytes) => bytes >> 20;

    /// <summary>Samples a process's resident set every 20 ms on a thread of its own and keeps the largest.</summary>
    internal sealed class PeakSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stopped;
        private long _peak;

        public PeakSampler(int pid)
        {
            _thread = new Thread(() =>
            {
                while (!_stopped)
                {
                    try
                    {
                        _peak = Math.Max(_peak, Status(pid, "VmRSS"));
                    }
                    catch (IOException)
                    {
                        return;
                    }

                    Thread.Sleep(20);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public long Stop()
        {
            _stopped = true;
            _thread.Join();
            return _peak;
        }

        public void Dispose() => Stop();
    }
}
