namespace ContentPS.Engine.Remotes.Hosts;

/// <summary>
/// Where <c>hosts.toml</c> files are looked for, and which file configures a registry domain.
/// </summary>
/// <remarks>
/// The roots, in order: <see cref="RegistryClientOptions.HostsDirectory"/> when set; else
/// <c>$env:CONTENTPS_HOSTS_DIR</c> (a list separated by <see cref="Path.PathSeparator"/>) when set; else
/// the per-user <c>ContentPS/certs.d</c> (<c>$XDG_CONFIG_HOME</c> or <c>~/.config</c> on Linux and macOS,
/// <c>%APPDATA%</c> on Windows), then containerd's and Docker's system folders
/// (<c>/etc/containerd/certs.d</c>, <c>/etc/docker/certs.d</c>; <c>%ProgramData%\containerd\certs.d</c>,
/// <c>%ProgramData%\docker\certs.d</c> on Windows). In each root, in order, the folders
/// <c>host_port_</c>, <c>host:port</c> (<c>hostport</c> on Windows, as containerd names them) or plain
/// <c>host</c>, then <c>_default</c> are tried; the first root with one of them holding a
/// <c>hosts.toml</c> wins, so an earlier root overrides a later one as a whole, as containerd's list
/// of config paths does. Docker's <c>.crt</c>/<c>.cert</c>/<c>.key</c> files are not read: a folder
/// without a <c>hosts.toml</c> does not count.
/// </remarks>
public static class HostsDirectories
{
    /// <summary>The environment variable that replaces the default roots.</summary>
    public const string EnvironmentVariable = "CONTENTPS_HOSTS_DIR";

    public const string FileName = "hosts.toml";

    /// <summary>The folder whose <c>hosts.toml</c> serves every domain that has no folder of its own.</summary>
    public const string DefaultFolderName = "_default";

    /// <summary>The roots for <paramref name="options"/>, in search order (see the class remarks).</summary>
    public static IReadOnlyList<string> Resolve(RegistryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.HostsDirectory))
        {
            return [Path.GetFullPath(options.HostsDirectory)];
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Path.GetFullPath)
                .ToArray();
        }

        return Defaults();
    }

    /// <summary>The roots used when neither the option nor the environment variable is set.</summary>
    public static IReadOnlyList<string> Defaults()
    {
        string user = Path.Combine(UserConfigFolder(), "ContentPS", "certs.d");
        if (OperatingSystem.IsWindows())
        {
            var programData = Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return [user, Path.Combine(programData, "containerd", "certs.d"), Path.Combine(programData, "docker", "certs.d")];
        }

        return [user, "/etc/containerd/certs.d", "/etc/docker/certs.d"];
    }

    /// <summary>
    /// The folder names tried in each root for <paramref name="registryDomain"/>, most specific first:
    /// <c>127.0.0.1_5000_</c>, <c>127.0.0.1:5000</c> (<c>127.0.0.15000</c> on Windows), <c>_default</c>.
    /// </summary>
    public static IReadOnlyList<string> FolderNames(string registryDomain)
    {
        ArgumentException.ThrowIfNullOrEmpty(registryDomain);
        var names = new List<string>(3);
        int colon = registryDomain.LastIndexOf(':');
        if (colon > 0)
        {
            names.Add($"{registryDomain[..colon]}_{registryDomain[(colon + 1)..]}_");
        }

        names.Add(OperatingSystem.IsWindows() ? registryDomain.Replace(":", "", StringComparison.Ordinal) : registryDomain);
        names.Add(DefaultFolderName);
        return names;
    }

    /// <summary>The registry domain a folder of a root configures (<c>127.0.0.1_5000_</c> → <c>127.0.0.1:5000</c>); null for <c>_default</c>.</summary>
    public static string? DomainOfFolder(string folderName)
    {
        ArgumentNullException.ThrowIfNull(folderName);
        if (folderName.Length == 0 || folderName == DefaultFolderName)
        {
            return null;
        }

        // host_port_ is containerd's spelling of host:port.
        if (folderName.EndsWith('_'))
        {
            int underscore = folderName.LastIndexOf('_', folderName.Length - 2);
            var port = underscore > 0 ? folderName[(underscore + 1)..^1] : "";
            if (port.Length > 0 && port.All(char.IsAsciiDigit))
            {
                return $"{folderName[..underscore]}:{port}";
            }
        }

        return folderName;
    }

    /// <summary>
    /// The <c>hosts.toml</c> that configures <paramref name="registryDomain"/>: in the first of
    /// <paramref name="roots"/> that has one, the most specific of <see cref="FolderNames"/>; null when none has.
    /// </summary>
    public static string? FindHostsFile(IReadOnlyList<string> roots, string registryDomain)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var names = FolderNames(registryDomain);
        foreach (var root in roots)
        {
            foreach (var name in names)
            {
                var file = Path.Combine(root, name, FileName);
                if (File.Exists(file))
                {
                    return file;
                }
            }
        }

        return null;
    }

    private static string UserConfigFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            return Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        // The XDG spec ignores a relative XDG_CONFIG_HOME.
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
        {
            return xdg;
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify), ".config");
    }
}
