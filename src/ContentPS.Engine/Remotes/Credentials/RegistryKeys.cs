namespace ContentPS.Engine.Remotes.Credentials;

/// <summary>
/// How the keys of <c>auths</c> and <c>credHelpers</c> name registries: <c>host</c>,
/// <c>https://host</c>, <c>http://host</c>, <c>https://host/v1/</c>; <c>docker.io</c>,
/// <c>index.docker.io</c> and <c>registry-1.docker.io</c> all mean Docker Hub.
/// </summary>
internal static class RegistryKeys
{
    /// <summary>The key <c>docker login</c> stores Docker Hub under, and the server URL its credential helpers are asked for.</summary>
    public const string DockerHubServerUrl = "https://index.docker.io/v1/";

    private static readonly string[] DockerHubHosts = ["docker.io", "index.docker.io", "registry-1.docker.io"];

    /// <summary>The registry a host stands for: lower case, Docker Hub's hosts as <c>docker.io</c>.</summary>
    public static string Normalize(string host)
    {
        var lower = host.Trim().ToLowerInvariant();
        return DockerHubHosts.Contains(lower, StringComparer.Ordinal) ? "docker.io" : lower;
    }

    public static bool IsDockerHub(string host) => Normalize(host) == "docker.io";

    /// <summary>
    /// The registry a key names (normalized), or null for a key that names a repository inside a
    /// registry (<c>quay.io/team/app</c>, containers-auth.json style): those are for one repository,
    /// not for the whole host. A URL's path (<c>/v1/</c>) is ignored.
    /// </summary>
    public static string? RegistryOf(string key)
    {
        var text = key.Trim();
        bool url = false;
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                text = text[scheme.Length..];
                url = true;
                break;
            }
        }

        int slash = text.IndexOf('/');
        if (slash >= 0)
        {
            var path = text[slash..].Trim('/');
            if (!url && path.Length > 0 && path is not ("v1" or "v2"))
            {
                return null;
            }

            text = text[..slash];
        }

        return text.Length == 0 ? null : Normalize(text);
    }

    /// <summary>How well <paramref name="key"/> matches <paramref name="host"/> (lower is better): the exact host, then https://, then http://, then any other spelling.</summary>
    public static int Rank(string key, string host)
    {
        if (string.Equals(key, host, StringComparison.OrdinalIgnoreCase)) return 0;
        if (key.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) return 1;
        if (key.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) return 2;
        return 3;
    }

    /// <summary>What a credential helper is asked for: Docker Hub's server URL, else the host as <c>docker login</c> stored it.</summary>
    public static string ServerUrlFor(string host) => IsDockerHub(host) ? DockerHubServerUrl : host;
}
