using System.Text.Json;

namespace ContentPS.Engine.Remotes.Hosts;

/// <summary>
/// The registry domains the user's configuration names, for argument completion: the host folders of the
/// hosts directories (<c>127.0.0.1_5000_</c> → <c>127.0.0.1:5000</c>; <c>_default</c> is not a registry),
/// the <c>auths</c> and <c>credHelpers</c> keys of Docker's <c>config.json</c> (<c>$DOCKER_CONFIG</c> or
/// <c>~/.docker</c>) and the <c>auths</c> keys of containers' <c>auth.json</c> (<c>$REGISTRY_AUTH_FILE</c>,
/// <c>$XDG_RUNTIME_DIR/containers/auth.json</c>, <c>$XDG_CONFIG_HOME/containers/auth.json</c> or
/// <c>~/.config/containers/auth.json</c>). Keys are reduced to their host
/// (<c>https://index.docker.io/v1/</c> → <c>docker.io</c>, <c>quay.io/org</c> → <c>quay.io</c>).
/// Files that are missing or unreadable are skipped: completion never fails.
/// </summary>
public static class KnownRegistries
{
    /// <summary>The distinct registry domains, sorted.</summary>
    public static IReadOnlyList<string> List(RegistryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return List(HostsDirectories.Resolve(options), DockerConfigFile(), ContainersAuthFiles());
    }

    /// <summary>The names from explicit files: the hosts roots, a Docker config.json and containers auth.json files.</summary>
    internal static IReadOnlyList<string> List(IEnumerable<string> hostsRoots, string? dockerConfigFile, IEnumerable<string> containersAuthFiles)
    {
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in FromHostsDirectories(hostsRoots)
                     .Concat(FromAuthFile(dockerConfigFile, "auths", "credHelpers"))
                     .Concat(containersAuthFiles.SelectMany(f => FromAuthFile(f, "auths"))))
        {
            if (Normalize(name) is { } domain)
            {
                names.Add(domain);
            }
        }

        return names.ToArray();
    }

    /// <summary>
    /// The registry domain of a credentials key or folder name: scheme and path dropped, lower case,
    /// Docker Hub's aliases (<c>index.docker.io</c>, <c>registry-1.docker.io</c>) as <c>docker.io</c>; null when nothing is left.
    /// </summary>
    public static string? Normalize(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var text = key.Trim();
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            text = text[(scheme + 3)..];
        }

        text = text.Split('/', 2)[0].ToLowerInvariant();
        if (text.Length == 0 || text.Any(char.IsWhiteSpace))
        {
            return null;
        }

        return text is "index.docker.io" or DefaultRegistryHosts.DockerHubHost ? DefaultRegistryHosts.DockerHubDomain : text;
    }

    private static IEnumerable<string> FromHostsDirectories(IEnumerable<string> roots)
    {
        foreach (var root in roots)
        {
            string[] folders;
            try
            {
                folders = Directory.Exists(root) ? Directory.GetDirectories(root) : [];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var folder in folders)
            {
                if (File.Exists(Path.Combine(folder, HostsDirectories.FileName))
                    && HostsDirectories.DomainOfFolder(Path.GetFileName(folder)) is { } domain)
                {
                    yield return domain;
                }
            }
        }
    }

    private static IEnumerable<string> FromAuthFile(string? path, params string[] sections)
    {
        var keys = new List<string>();
        if (path is null || !File.Exists(path))
        {
            return keys;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            foreach (var section in sections)
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty(section, out var entries)
                    && entries.ValueKind == JsonValueKind.Object)
                {
                    keys.AddRange(entries.EnumerateObject().Select(p => p.Name));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // A broken credentials file is for the credential provider to report, not the completer.
        }

        return keys;
    }

    private static string? DockerConfigFile()
    {
        var folder = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(folder))
        {
            folder = Path.Combine(Home(), ".docker");
        }

        return Path.Combine(folder, "config.json");
    }

    private static IEnumerable<string> ContainersAuthFiles()
    {
        var explicitFile = Environment.GetEnvironmentVariable("REGISTRY_AUTH_FILE");
        if (!string.IsNullOrEmpty(explicitFile))
        {
            yield return explicitFile;
            yield break;
        }

        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtime))
        {
            yield return Path.Combine(runtime, "containers", "auth.json");
        }

        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        yield return Path.Combine(string.IsNullOrEmpty(config) ? Path.Combine(Home(), ".config") : config, "containers", "auth.json");
    }

    private static string Home() =>
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
}
