using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Hosts;

namespace ContentPS.Engine.Tests.Remotes.Client;

/// <summary>Hosts configured by the test, in order, for every registry domain.</summary>
public sealed class StaticHosts(params RegistryHost[] hosts) : IRegistryHosts
{
    public IReadOnlyList<RegistryHost> GetHosts(string registryDomain) => hosts;

    /// <summary>A loopback host serving <paramref name="registryDomain"/>, as a mirror or not, with some capabilities.</summary>
    public static RegistryHost Host(string host, string registryDomain, bool mirror = false, HostCapabilities capabilities = HostCapabilities.All) =>
        DefaultRegistryHosts.ForDomain(host) with { RegistryDomain = registryDomain, IsMirror = mirror, Capabilities = capabilities };
}
