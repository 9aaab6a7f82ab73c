namespace ContentPS.Engine.Remotes.Hosts;

/// <summary>One host of a hosts.toml: a <c>[host."…"]</c> mirror, or the server from the root keys.</summary>
internal sealed record HostsFileEntry
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoHeaders =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where it is; null for a server the file does not name (<c>server</c> absent): the registry's own host.</summary>
    public HostsEndpoint? Endpoint { get; init; }

    /// <summary><c>capabilities</c>; all when absent or empty, as containerd reads it.</summary>
    public HostCapabilities Capabilities { get; init; } = HostCapabilities.All;

    /// <summary><c>skip_verify</c>; null when absent.</summary>
    public bool? SkipVerify { get; init; }

    /// <summary><c>ca</c>, as absolute paths.</summary>
    public IReadOnlyList<string> CaFiles { get; init; } = [];

    /// <summary><c>client</c>, as absolute paths.</summary>
    public IReadOnlyList<ClientCertificateFiles> ClientCertificates { get; init; } = [];

    /// <summary><c>header</c>: names compared ignoring case, values in file order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } = NoHeaders;

    /// <summary>The <see cref="RegistryHost"/> this entry gives for <paramref name="registryDomain"/>.</summary>
    /// <param name="registryDomain">The domain of the reference (<c>docker.io</c>).</param>
    /// <param name="isMirror">True for a <c>[host."…"]</c> entry, false for the server.</param>
    /// <param name="skipCertificateCheck"><c>-SkipCertificateCheck</c>: accept any certificate, whatever the file says.</param>
    public RegistryHost ToRegistryHost(string registryDomain, bool isMirror, bool skipCertificateCheck)
    {
        var own = DefaultRegistryHosts.ForDomain(registryDomain);
        var tls = new RegistryTlsOptions
        {
            SkipVerify = skipCertificateCheck || SkipVerify == true,
            CaFiles = CaFiles,
            ClientCertificates = ClientCertificates,
        };
        return own with
        {
            Host = Endpoint?.Host ?? own.Host,
            Scheme = Endpoint?.Scheme ?? own.Scheme,
            PathPrefix = Endpoint?.PathPrefix ?? own.PathPrefix,
            // containerd gives the registry's own host every capability when the file names no server.
            Capabilities = Endpoint is null ? HostCapabilities.All : Capabilities,
            Tls = tls == RegistryTlsOptions.Default ? RegistryTlsOptions.Default : tls,
            Headers = Headers,
            IsMirror = isMirror,
        };
    }
}
