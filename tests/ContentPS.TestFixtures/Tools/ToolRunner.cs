using System.Diagnostics;

namespace ContentPS.TestFixtures;

/// <summary>Runs external tools (skopeo, htpasswd, apt-get, umoci, oci-image-tool) to completion.</summary>
public static class ToolRunner
{
    public static async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var argumentList = arguments.ToList();
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in argumentList)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["DEBIAN_FRONTEND"] = "noninteractive";

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new FixtureException($"Cannot start '{fileName}': {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillQuietly(process);
            throw;
        }

        return new ToolResult(fileName, argumentList, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Finds an executable on PATH (or at an absolute path); null when absent.</summary>
    public static string? Find(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin").Append("/usr/sbin"))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Finds a required tool or throws a message that says which Debian package provides it.</summary>
    public static string Require(string name, string debianPackage) =>
        Find(name) ?? throw new FixtureException(
            $"'{name}' is not installed. Install it: apt-get install -y {debianPackage} (Debian/Ubuntu; run as root or with sudo).");

    /// <summary>Runs a tool found on PATH (its Debian package named after it) and returns its standard output; a failure throws.</summary>
    public static async Task<string> RunCheckedAsync(string tool, params string[] arguments) =>
        (await RunAsync(Require(tool, tool), arguments).ConfigureAwait(false)).EnsureSuccess().StandardOutput;

    internal static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
