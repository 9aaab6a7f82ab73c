using ContentPS.Engine.Remotes.Hosts;

namespace ContentPS.Engine.Remotes;

/// <summary>The hosts configuration and authorizer a <c>RegistryClient</c> uses when none is given.</summary>
public static class RegistryClientDefaults
{
    /// <summary>The hosts.toml configuration (containerd-compatible; the defaults where no file names a host).</summary>
    public static IRegistryHosts CreateHosts(RegistryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return HostsConfiguration.Load(options);
    }

    /// <summary>BASELINE: no authorization (the Basic/Bearer authorizer replaces this).</summary>
    public static IRegistryAuthorizer? CreateAuthorizer(RegistryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return null;
    }

    public static IRegistryTransport CreateTransport(RegistryClientOptions options, IRegistryAuthorizer? authorizer) =>
        new Http.RegistryTransport(options, authorizer);
}
