using System.Net;

namespace ContentPS.Engine.Remotes.Hosts;

/// <summary>
/// The hosts when nothing is configured: <c>docker.io</c> is served by <c>registry-1.docker.io</c>;
/// loopback hosts (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>[::1]</c>) use plain HTTP; every other
/// registry is HTTPS on its own domain.
/// </summary>
public sealed class DefaultRegistryHosts : IRegistryHosts
{
    public const string DockerHubDomain = "docker.io";
    public const string DockerHubHost = "registry-1.docker.io";

    public static DefaultRegistryHosts Instance { get; } = new();

    public IReadOnlyList<RegistryHost> GetHosts(string registryDomain) => [ForDomain(registryDomain)];

    /// <summary>The registry's own host for <paramref name="registryDomain"/>, with the defaults above.</summary>
    public static RegistryHost ForDomain(string registryDomain, bool skipVerify = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(registryDomain);
        bool dockerHub = string.Equals(registryDomain, DockerHubDomain, StringComparison.OrdinalIgnoreCase)
            || string.Equals(registryDomain, "index.docker.io", StringComparison.OrdinalIgnoreCase);
        var host = dockerHub ? DockerHubHost : registryDomain;
        return new RegistryHost
        {
            Host = host,
            RegistryDomain = dockerHub ? DockerHubDomain : registryDomain,
            Scheme = IsLoopback(host) ? "http" : "https",
            Tls = skipVerify ? new RegistryTlsOptions { SkipVerify = true } : RegistryTlsOptions.Default,
        };
    }

    /// <summary>True for <c>localhost</c>, <c>127.x.x.x</c> and <c>::1</c>, with or without a port.</summary>
    public static bool IsLoopback(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        string name = host;
        if (name.StartsWith('['))
        {
            int close = name.IndexOf(']');
            name = close > 0 ? name[1..close] : name;
        }
        else if (name.Count(c => c == ':') == 1)
        {
            name = name[..name.IndexOf(':')];
        }

        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address);
    }
}
