using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Credentials;

/// <summary>
/// Runs Docker credential helpers: <c>docker-credential-&lt;name&gt; get</c> with the server URL on
/// stdin, JSON <c>{ServerURL, Username, Secret}</c> on stdout. A <c>&lt;token&gt;</c> user name marks
/// an identity token. "credentials not found" is an answer (null), not an error.
/// </summary>
public sealed class DockerCredentialHelper
{
    public const string ExecutablePrefix = "docker-credential-";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private const string IdentityTokenUsername = "<token>";
    private const int MaxQuotedOutput = 200;

    private readonly string? _searchPath;
    private readonly TimeSpan _timeout;

    /// <param name="searchPath">The directories to find helpers in, separated like PATH; null: the PATH of this process.</param>
    /// <param name="timeout">How long a helper may take; null: <see cref="DefaultTimeout"/>.</param>
    public DockerCredentialHelper(string? searchPath = null, TimeSpan? timeout = null)
    {
        _searchPath = searchPath;
        _timeout = timeout ?? DefaultTimeout;
    }

    /// <summary>The credential helper <paramref name="name"/> has for <paramref name="serverUrl"/>, or null when it has none.</summary>
    /// <exception cref="NotFoundException">The helper is not on the search path (CredentialHelperNotFound).</exception>
    /// <exception cref="UnavailableException">It failed, timed out or answered what is not its protocol (CredentialHelperFailed).</exception>
    public async Task<RegistryCredential?> GetAsync(string name, string serverUrl, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(serverUrl);
        var executable = ExecutablePrefix + name;
        var path = Find(executable) ?? throw Errors.New(ErrorClass.NotFound,
            $"The credential helper {executable} (configured for {serverUrl}) is not on PATH. Install it, or remove it from the Docker configuration.",
            ErrorIds.CredentialHelperNotFound, target: executable);

        var (exitCode, stdout, stderr) = await RunAsync(path, executable, serverUrl, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            var said = (stdout.Trim().Length > 0 ? stdout : stderr).Trim();
            if (said.Contains("credentials not found", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            throw Failed(executable, serverUrl, $"exited with {exitCode}: {Quote(said)}");
        }

        return Parse(stdout, executable, serverUrl);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string path, string executable, string serverUrl, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("get");
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw Failed(executable, serverUrl, $"cannot be started: {e.Message}", e);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.StandardInput.WriteAsync(serverUrl.AsMemory(), timeout.Token).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The helper exited without reading its input; its exit code and output say why.
            }

            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            throw Failed(executable, serverUrl, $"did not answer within {_timeout.TotalSeconds:0} s");
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
    }

    private static RegistryCredential? Parse(string stdout, string executable, string serverUrl)
    {
        try
        {
            using var document = JsonDocument.Parse(stdout);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Failed(executable, serverUrl, "answered JSON that is not an object");
            }

            var username = root.TryGetProperty("Username", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() ?? string.Empty : string.Empty;
            var secret = root.TryGetProperty("Secret", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() ?? string.Empty : string.Empty;
            if (secret.Length == 0)
            {
                return null;
            }

            return new RegistryCredential(username == IdentityTokenUsername ? string.Empty : username, secret);
        }
        catch (JsonException)
        {
            // Never quote the output: it is meant to hold a secret.
            throw Failed(executable, serverUrl, "answered something that is not JSON");
        }
    }

    private string? Find(string executable)
    {
        var directories = (_searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        string[] names = OperatingSystem.IsWindows() ? [executable + ".exe", executable + ".cmd", executable + ".bat", executable] : [executable];
        foreach (var directory in directories)
        {
            foreach (var name in names)
            {
                var candidate = System.IO.Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static string Quote(string text) =>
        text.Length == 0 ? "no message" : text.Length > MaxQuotedOutput ? text[..MaxQuotedOutput] + "…" : text;

    private static ClassifiedException Failed(string executable, string serverUrl, string problem, Exception? inner = null) =>
        Errors.New(ErrorClass.Unavailable, $"The credential helper {executable} {problem} (asked for {serverUrl}).",
            ErrorIds.CredentialHelperFailed, inner, executable);
}
