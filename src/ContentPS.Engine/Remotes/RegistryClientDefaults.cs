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

    /// <summary>Basic and Bearer authorization; credentials from <c>-Credential</c>, else the Docker and containers configuration files.</summary>
    public static IRegistryAuthorizer? CreateAuthorizer(RegistryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Auth.RegistryAuthorizer(options, options.CredentialProvider ?? Credentials.CredentialProviders.CreateDefault());
    }

    public static IRegistryTransport CreateTransport(RegistryClientOptions options, IRegistryAuthorizer? authorizer) =>
        new Http.RegistryTransport(options, authorizer);
}
