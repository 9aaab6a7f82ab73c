using System.Diagnostics;

namespace ContentPS.TestFixtures;

/// <summary>
/// A private containerd for <c>ctr</c>: its own root, state and socket in a temporary folder, a minimal
/// configuration (no CRI, no /opt plugin folder, no snapshotters that probe the kernel), stopped and
/// deleted on dispose. It runs as the calling user: the sockets are owned by that user's uid and gid,
/// so it needs no root for the content and image APIs (import with <c>--no-unpack</c>, export, content
/// fetch); unpacking into snapshots would. A fresh daemon is a fresh store: containerd shares a blob
/// across namespaces and removes deleted content only at its next garbage collection.
/// </summary>
public sealed class ContainerdDaemon : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly Lazy<string?> StartProbe = new(ProbeStart);

    private readonly Process _process;
    private readonly string _directory;
    private readonly OutputTail _log;

    private ContainerdDaemon(Process process, string directory, string address, OutputTail log)
    {
        _process = process;
        _directory = directory;
        _log = log;
        Address = address;
    }

    /// <summary>The daemon's gRPC socket (ctr --address).</summary>
    public string Address { get; }

    /// <summary>Why containerd or ctr cannot run here (not installed, not Linux); null when both are there.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "containerd runs on Linux only";
        }

        foreach (var tool in new[] { "containerd", "ctr" })
        {
            if (ToolRunner.Find(tool) is null)
            {
                return $"{tool} is not installed (Debian/Ubuntu: apt-get install -y containerd)";
            }
        }

        return null;
    }

    /// <summary>
    /// <see cref="Unavailable"/>, or else why a private daemon did not start and answer (tried once per
    /// process: started, asked for its version, stopped); null when it runs.
    /// </summary>
    public static string? CannotRun() => StartProbe.Value;

    /// <summary>Starts a daemon under <paramref name="parent"/> and waits until it answers.</summary>
    public static async Task<ContainerdDaemon> StartAsync(string parent, CancellationToken cancellationToken = default)
    {
        if (Unavailable() is { } reason)
        {
            throw new FixtureException(reason);
        }

        var directory = Path.Combine(parent, $"containerd-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(directory);
        var address = Path.Combine(directory, "containerd.sock");
        var config = Path.Combine(directory, "config.toml");
        var (uid, gid) = CurrentIds();
        await File.WriteAllTextAsync(config, $"""
            version = 2
            root = "{Path.Combine(directory, "root")}"
            state = "{Path.Combine(directory, "state")}"
            disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs",
              "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]
            [grpc]
              address = "{address}"
              uid = {uid}
              gid = {gid}
            [ttrpc]
              address = "{address}.ttrpc"
              uid = {uid}
              gid = {gid}
            """, cancellationToken).ConfigureAwait(false);
        var info = new ProcessStartInfo(ToolRunner.Require("containerd", "containerd")) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(config);
        var process = Process.Start(info) ?? throw new FixtureException("cannot start containerd");
        // Its log must be read or the daemon blocks on a full pipe; the tail explains a failed start.
        var log = new OutputTail();
        process.OutputDataReceived += (_, e) => log.Append(e.Data);
        process.ErrorDataReceived += (_, e) => log.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var daemon = new ContainerdDaemon(process, directory, address, log);
        try
        {
            await daemon.WaitUntilServingAsync(cancellationToken).ConfigureAwait(false);
            return daemon;
        }
        catch
        {
            daemon.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>ctr --address &lt;socket&gt; <paramref name="arguments"/></c>; its standard output, or a <see cref="FixtureException"/>.</summary>
    public async Task<string> CtrAsync(params string[] arguments)
    {
        var result = await ToolRunner.RunAsync(ToolRunner.Require("ctr", "containerd"), ["--address", Address, .. arguments]).ConfigureAwait(false);
        return result.EnsureSuccess().StandardOutput;
    }

    /// <summary><c>ctr content fetch --plain-http</c> of <paramref name="reference"/> (host:port/repo:tag).</summary>
    public Task FetchAsync(string reference, bool allPlatforms) =>
        CtrAsync(["content", "fetch", "--plain-http", .. allPlatforms ? new[] { "--all-platforms" } : [], reference]);

    /// <summary>The digests of the daemon's content store in <paramref name="ns"/> (ctr content ls -q).</summary>
    public async Task<IReadOnlyList<string>> ContentDigestsAsync(string ns = "default") =>
        Lines(await CtrAsync("--namespace", ns, "content", "ls", "-q").ConfigureAwait(false));

    /// <summary>The images of <paramref name="ns"/> (ctr images ls): name, media type, target digest.</summary>
    public async Task<IReadOnlyList<ContainerdImage>> ImagesAsync(string ns = "default")
    {
        var lines = Lines(await CtrAsync("--namespace", ns, "images", "ls").ConfigureAwait(false));
        return lines.Skip(1).Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Select(fields => new ContainerdImage(fields[0], fields[1], fields[2])).ToList();
    }

    public void Dispose()
    {
        try
        {
            ToolRunner.KillQuietly(_process);
            _process.WaitForExit(10_000);
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A socket or a file the daemon still closes; the temporary folder goes with its parent.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static IReadOnlyList<string> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // The real uid and gid from /proc/self/status ("Uid:\t<real>\t<effective>..."): the sockets' owner.
    private static (string Uid, string Gid) CurrentIds()
    {
        var status = File.ReadAllLines("/proc/self/status");
        string Id(string key) => status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        return (Id("Uid:"), Id("Gid:"));
    }

    private static string? ProbeStart()
    {
        if (Unavailable() is { } reason)
        {
            return reason;
        }

        var parent = Directory.CreateTempSubdirectory("contentps-containerd-probe-").FullName;
        try
        {
            using var daemon = StartAsync(parent).GetAwaiter().GetResult();
            return null;
        }
        catch (FixtureException e)
        {
            return "containerd does not start here: " + e.Message;
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    private async Task WaitUntilServingAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new FixtureException($"containerd exited with {_process.ExitCode} at start: {_log}");
            }

            var version = await ToolRunner.RunAsync(ToolRunner.Require("ctr", "containerd"), ["--address", Address, "--timeout", "2s", "version"], cancellationToken)
                .ConfigureAwait(false);
            if (version.Succeeded)
            {
                return;
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new FixtureException($"containerd did not answer on {Address} within {StartTimeout.TotalSeconds}s: {version.StandardError.Trim()}; log: {_log}");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>One line of <c>ctr images ls</c>: the image's name, its target's media type and digest.</summary>
public sealed record ContainerdImage(string Name, string MediaType, string Digest);
