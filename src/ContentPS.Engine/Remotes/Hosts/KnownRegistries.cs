using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Remotes.Credentials;

namespace ContentPS.Engine.Remotes.Hosts;

/// <summary>
/// The registry domains the user's configuration names, for argument completion: the host folders of the
/// hosts directories (<c>127.0.0.1_5000_</c> → <c>127.0.0.1:5000</c>; <c>_default</c> is not a registry),
/// the <c>auths</c> and <c>credHelpers</c> keys of the files the credential providers read: Docker's
/// <c>config.json</c> (<see cref="DockerConfigCredentialProvider.DefaultConfigPath"/>) and containers'
/// <c>auth.json</c> (<see cref="ContainersAuthFileProvider.DefaultPaths"/>). Keys are reduced to their host
/// (<c>https://index.docker.io/v1/</c> → <c>docker.io</c>, <c>quay.io/org</c> → <c>quay.io</c>).
/// Files that are missing or unreadable are skipped: completion never fails.
/// </summary>
public static class KnownRegistries
{
    /// <summary>The distinct registry domains, sorted.</summary>
    public static IReadOnlyList<string> List(RegistryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return List(HostsDirectories.Resolve(options), DockerConfigCredentialProvider.DefaultConfigPath(), ContainersAuthFileProvider.DefaultPaths());
    }

    /// <summary>The names from explicit files: the hosts roots, a Docker config.json and containers auth.json files.</summary>
    internal static IReadOnlyList<string> List(IEnumerable<string> hostsRoots, string? dockerConfigFile, IEnumerable<string> containersAuthFiles)
    {
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in FromHostsDirectories(hostsRoots)
                     .Concat(FromAuthFile(dockerConfigFile))
                     .Concat(containersAuthFiles.SelectMany(FromAuthFile)))
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

        text = text.Split('/', 2)[0];
        return text.Length == 0 || text.Any(char.IsWhiteSpace) ? null : RegistryKeys.Normalize(text);
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

    // The registry keys of a credentials file (auths and credHelpers), read by the credential providers' own parser.
    private static IEnumerable<string> FromAuthFile(string? path)
    {
        AuthFile? file;
        try
        {
            file = path is null ? null : AuthFile.Load(path);
        }
        catch (ClassifiedException)
        {
            // A broken credentials file is for the credential provider to report, not the completer.
            return [];
        }

        return file is null ? [] : file.Auths.Select(e => e.Key).Concat(file.CredHelpers.Keys).ToList();
    }
}
