namespace ContentPS.Engine.Remotes;

/// <summary>
/// One endpoint that serves a registry's content: the registry itself or a mirror of it, from the
/// hosts configuration (containerd's <c>certs.d/&lt;host&gt;/hosts.toml</c>) or the defaults.
/// </summary>
public sealed record RegistryHost
{
    /// <summary>The host[:port] requests go to and credentials are looked up for (<c>registry-1.docker.io</c>, <c>127.0.0.1:5000</c>).</summary>
    public required string Host { get; init; }

    /// <summary><c>https</c> or <c>http</c> (plain HTTP only for loopback hosts or hosts the configuration marks so).</summary>
    public required string Scheme { get; init; }

    /// <summary>
    /// The path every API path is appended to: <c>/v2</c> normally; for a hosts.toml entry with
    /// <c>override_path = true</c> the configured path as is (no <c>/v2</c> added).
    /// </summary>
    public string PathPrefix { get; init; } = "/v2";

    public HostCapabilities Capabilities { get; init; } = HostCapabilities.All;

    public RegistryTlsOptions Tls { get; init; } = RegistryTlsOptions.Default;

    /// <summary>Extra request headers for this host (hosts.toml <c>header</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>True for a mirror tried before the registry itself; a failure there falls back to the next host.</summary>
    public bool IsMirror { get; init; }

    /// <summary>The registry domain of the reference this host serves (<c>docker.io</c> for <c>registry-1.docker.io</c>).</summary>
    public required string RegistryDomain { get; init; }

    /// <summary>
    /// The URL of an API path below the prefix: <c>Url("library/ubuntu/manifests/latest")</c> →
    /// <c>https://registry-1.docker.io/v2/library/ubuntu/manifests/latest</c>. An empty path gives the
    /// prefix with a trailing slash (<c>/v2/</c>, the API version check). <paramref name="query"/>
    /// is appended as is (without <c>?</c>), already escaped.
    /// </summary>
    public Uri Url(string path, string? query = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var prefix = PathPrefix.TrimEnd('/');
        var text = $"{Scheme}://{Host}{prefix}/{path.TrimStart('/')}";
        return new Uri(string.IsNullOrEmpty(query) ? text : $"{text}?{query}");
    }

    public bool Can(HostCapabilities capability) => (Capabilities & capability) == capability;

    public override string ToString() => $"{Scheme}://{Host}{PathPrefix}";
}
