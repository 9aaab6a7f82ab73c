using System.Diagnostics;

namespace ContentPS.Benchmarks;

/// <summary>
/// A private containerd for <c>ctr content fetch</c>: its own root, state and socket in a temporary folder,
/// a minimal configuration (no CRI, no /opt plugin folder, no snapshotters that probe the kernel), stopped
/// and deleted on dispose. Content fetched through it crosses its gRPC content API, as with any ctr user.
/// A fresh daemon is a fresh store: containerd shares a blob across namespaces and removes deleted content
/// only at its next garbage collection, so deleting content would not make the next fetch download it.
/// </summary>
internal sealed class ContainerdDaemon : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _directory;

    private ContainerdDaemon(Process process, string directory, string address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    /// <summary>The daemon's gRPC socket (ctr --address).</summary>
    public string Address { get; }

    /// <summary>Why containerd or ctr cannot run here; null when both are installed.</summary>
    public static string? Unavailable()
    {
        foreach (var tool in new[] { "containerd", "ctr" })
        {
            if (!File.Exists($"/usr/bin/{tool}") && !File.Exists($"/usr/local/bin/{tool}"))
            {
                return $"{tool} is not installed (Debian/Ubuntu: apt-get install -y containerd)";
            }
        }

        return OperatingSystem.IsLinux() && Environment.UserName == "root"
            ? null
            : "containerd needs root on Linux (it owns its root and state folders and mounts for snapshots)";
    }

    public static ContainerdDaemon Start(string parent)
    {
        var directory = Path.Combine(parent, $"containerd-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(directory);
        var address = Path.Combine(directory, "containerd.sock");
        var config = Path.Combine(directory, "config.toml");
        File.WriteAllText(config, $"""
            version = 2
            root = "{Path.Combine(directory, "root")}"
            state = "{Path.Combine(directory, "state")}"
            disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs",
              "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]
            [grpc]
              address = "{address}"
            [ttrpc]
              address = "{address}.ttrpc"
            """);
        var info = new ProcessStartInfo("containerd") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(config);
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start containerd");
        // Its log goes nowhere, but must be read or the daemon blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        var log = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var daemon = new ContainerdDaemon(process, directory, address);
        try
        {
            daemon.WaitUntilServing(() => { lock (log) return log.ToString(); });
            return daemon;
        }
        catch
        {
            daemon.Dispose();
            throw;
        }
    }

    /// <summary><c>ctr content fetch --plain-http</c> of <paramref name="reference"/> (host:port/repo:tag).</summary>
    public void Fetch(string reference, bool allPlatforms)
    {
        List<string> arguments = ["--address", Address, "content", "fetch", "--plain-http"];
        if (allPlatforms) arguments.Add("--all-platforms");
        arguments.Add(reference);
        Measurement.RunProcess("ctr", [.. arguments]);
    }

    /// <summary>The digests of the daemon's content store (ctr content ls -q).</summary>
    public IReadOnlyList<string> ContentDigests() =>
        Measurement.RunProcess("ctr", "--address", Address, "content", "ls", "-q")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void WaitUntilServing(Func<string> log)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"containerd exited with {_process.ExitCode} at start: {log()}");
            }

            try
            {
                Measurement.RunProcess("ctr", "--address", Address, "version");
                return;
            }
            catch (InvalidOperationException) when (clock.Elapsed < StartTimeout)
            {
                Thread.Sleep(100);
            }
        }
    }
}
