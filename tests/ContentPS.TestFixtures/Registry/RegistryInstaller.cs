namespace ContentPS.TestFixtures;

/// <summary>
/// Makes sure Debian's docker-registry (CNCF distribution 2.8) is present. As root on Debian or
/// Ubuntu it installs the package; anywhere else it throws a message that says how to install it.
/// </summary>
public static class RegistryInstaller
{
    public const string RegistryPath = "/usr/bin/docker-registry";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static async Task<string> EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        if (File.Exists(RegistryPath))
        {
            return RegistryPath;
        }

        await InstallLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(RegistryPath))
            {
                return RegistryPath;
            }

            if (!CanInstall())
            {
                throw new FixtureException(
                    $"{RegistryPath} (CNCF distribution 2.8) is required by the registry tests and is not installed. "
                    + "Install it: sudo apt-get install -y docker-registry (Debian/Ubuntu).");
            }

            var install = await ToolRunner.RunAsync("apt-get", ["install", "-y", "-qq", "docker-registry"], cancellationToken).ConfigureAwait(false);
            if (!install.Succeeded)
            {
                await ToolRunner.RunAsync("apt-get", ["update", "-qq"], cancellationToken).ConfigureAwait(false);
                install = await ToolRunner.RunAsync("apt-get", ["install", "-y", "-qq", "docker-registry"], cancellationToken).ConfigureAwait(false);
            }

            install.EnsureSuccess();
            if (!File.Exists(RegistryPath))
            {
                throw new FixtureException($"apt-get installed docker-registry but {RegistryPath} is still missing.");
            }

            return RegistryPath;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static bool CanInstall() =>
        OperatingSystem.IsLinux()
        && Environment.IsPrivilegedProcess
        && File.Exists("/etc/debian_version")
        && ToolRunner.Find("apt-get") is not null;
}
