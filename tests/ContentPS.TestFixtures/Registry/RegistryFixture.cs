using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>
/// A real docker-registry (CNCF distribution 2.8) on a free 127.0.0.1 port with a temporary
/// storage root. Dispose it to kill the process and delete its files.
/// </summary>
public sealed partial class RegistryFixture : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private const int MaxStartAttempts = 5;

    private readonly Process _process;
    private readonly OutputTail _stderr;
    private readonly string _workDirectory;
    private int _disposed;

    private RegistryFixture(RegistryFlavor flavor, Process process, OutputTail stderr, string workDirectory, int port, string? username, string? password)
    {
        Flavor = flavor;
        _process = process;
        _stderr = stderr;
        _workDirectory = workDirectory;
        Port = port;
        ProcessId = process.Id;
        Username = username;
        Password = password;
    }

    public RegistryFlavor Flavor { get; }

    public int Port { get; }

    /// <summary>"127.0.0.1:port", the registry host as a reference names it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"http://{Host}/");

    /// <summary>The generated user (htpasswd and token flavors); null for a plain registry.</summary>
    public string? Username { get; }

    public string? Password { get; }

    /// <summary>The registry's storage root (storage.filesystem.rootdirectory).</summary>
    public string RootDirectory => Path.Combine(_workDirectory, "storage");

    /// <summary>The docker-registry process id (still readable after disposal, to check it is gone).</summary>
    public int ProcessId { get; }

    /// <summary>What the registry wrote to stderr so far (the last 64 KiB).</summary>
    public string StandardError => _stderr.ToString();

    public static async Task<RegistryFixture> StartAsync(RegistryFlavor flavor = RegistryFlavor.Plain, CancellationToken cancellationToken = default)
    {
        var registry = await RegistryInstaller.EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);
        var workDirectory = Directory.CreateTempSubdirectory("contentps-registry-").FullName;
        TokenServer? tokenServer = null;
        try
        {
            Directory.CreateDirectory(Path.Combine(workDirectory, "storage"));
            string? username = null, password = null, htpasswdPath = null;
            if (flavor == RegistryFlavor.Htpasswd)
            {
                htpasswdPath = Path.Combine(workDirectory, "htpasswd");
                (username, password) = await HtpasswdFile.CreateAsync(htpasswdPath, cancellationToken).ConfigureAwait(false);
            }

            if ((tokenServer = StartTokenServer(flavor)) is not null)
            {
                (username, password) = (tokenServer.Username, tokenServer.Password);
            }

            var storage = Path.Combine(workDirectory, "storage");
            var fixture = await LaunchAsync(registry, flavor, workDirectory, (configPath, port) =>
            {
                RegistryConfigFile.Write(configPath, port, storage, htpasswdPath);
                if (tokenServer is not null) TokenRegistryConfig.Append(configPath, tokenServer);
            }, cancellationToken, username, password).ConfigureAwait(false);
            fixture._tokenServer = tokenServer;
            return fixture;
        }
        catch
        {
            tokenServer?.Dispose();
            DeleteQuietly(workDirectory);
            throw;
        }
    }

    /// <summary>
    /// Starts docker-registry with the config <paramref name="writeConfig"/> writes for a freshly picked
    /// port, picking another port when the registry could not bind the one it got.
    /// </summary>
    private static async Task<RegistryFixture> LaunchAsync(string registry, RegistryFlavor flavor, string workDirectory,
        Action<string, int> writeConfig, CancellationToken cancellationToken, string? username = null, string? password = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Pick();
            var configPath = Path.Combine(workDirectory, "config.yml");
            writeConfig(configPath, port);
            var stderr = new OutputTail();
            var process = StartProcess(registry, configPath, stderr);
            var fixture = new RegistryFixture(flavor, process, stderr, workDirectory, port, username, password);
            try
            {
                await fixture.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
                return fixture;
            }
            catch (FixtureException) when (attempt < MaxStartAttempts && process.HasExited && IsBindFailure(stderr.ToString()))
            {
                // Someone took the port between picking and binding: pick another.
                process.Dispose();
            }
            catch
            {
                ToolRunner.KillQuietly(process);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                process.Dispose();
                throw;
            }
        }
    }

    /// <summary>An HttpClient on <see cref="BaseUri"/>; with credentials it sends basic auth on every request.</summary>
    public HttpClient CreateHttpClient(bool withCredentials = true)
    {
        var client = new HttpClient(CreateFixtureHandler(withCredentials)) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        if (withCredentials && Username is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")));
        }

        return client;
    }

    /// <summary>Pushes a layout entry here with skopeo (digests and media types kept) and checks the digest the registry serves.</summary>
    public Task PushLayoutAsync(string layoutDirectory, string refName, string repository, string tag, CancellationToken cancellationToken = default) =>
        LayoutPublisher.PushAsync(layoutDirectory, refName, this, repository, tag, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _tokenServer?.Dispose();
        ToolRunner.KillQuietly(_process);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Leave the directory alone if the process is stuck; it may still write there.
                _process.Dispose();
                return;
            }
        }

        _process.Dispose();
        DeleteQuietly(_workDirectory);
    }

    private static Process StartProcess(string registry, string configPath, OutputTail stderr)
    {
        var startInfo = new ProcessStartInfo(registry)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        startInfo.ArgumentList.Add("serve");
        startInfo.ArgumentList.Add(configPath);
        // docker-registry reads REGISTRY_<SECTION>_<KEY> as config overrides; containers' REGISTRY_AUTH_FILE would become auth.file.
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("REGISTRY_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) => stderr.Append(e.Data);
        process.OutputDataReceived += (_, e) => stderr.Append(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var expected = Flavor == RegistryFlavor.Plain ? HttpStatusCode.OK : HttpStatusCode.Unauthorized;
        using var client = CreateHttpClient(withCredentials: false);
        client.Timeout = TimeSpan.FromSeconds(5);
        var deadline = Stopwatch.StartNew();
        string lastAnswer = "no answer yet";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw new FixtureException(
                    $"docker-registry exited with {_process.ExitCode} before answering on {Host}. stderr:{Environment.NewLine}{StandardError}");
            }

            try
            {
                using var response = await client.GetAsync("v2/", cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == expected)
                {
                    return;
                }

                lastAnswer = $"GET /v2/ answered {(int)response.StatusCode}, expected {(int)expected}";
            }
            catch (HttpRequestException ex)
            {
                lastAnswer = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastAnswer = "GET /v2/ timed out";
            }

            if (deadline.Elapsed > ReadyTimeout)
            {
                throw new FixtureException(
                    $"docker-registry on {Host} was not ready after {ReadyTimeout.TotalSeconds:0} s ({lastAnswer}). stderr:{Environment.NewLine}{StandardError}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsBindFailure(string stderr) =>
        stderr.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("bind:", StringComparison.OrdinalIgnoreCase);

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
