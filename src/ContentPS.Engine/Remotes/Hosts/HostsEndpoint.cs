namespace ContentPS.Engine.Remotes.Hosts;

/// <summary>Where a hosts.toml entry sends requests: scheme, host[:port] and the API path prefix.</summary>
/// <param name="Scheme"><c>http</c> or <c>https</c>.</param>
/// <param name="Host">host[:port] (<c>[::1]:5000</c> for IPv6).</param>
/// <param name="PathPrefix"><c>/v2</c>, <c>/prefix/v2</c>, or with <c>override_path</c> the path as written (possibly empty).</param>
internal sealed record HostsEndpoint(string Scheme, string Host, string PathPrefix)
{
    /// <summary>
    /// Parses a <c>server</c> value or a <c>[host."…"]</c> key. Without a scheme the host is HTTPS,
    /// or plain HTTP when it is a loopback host. A path gets <c>/v2</c> appended unless it already ends
    /// with it or <paramref name="overridePath"/> is set. Null when it is not an http(s) URL with a host.
    /// </summary>
    public static HostsEndpoint? TryParse(string text, bool overridePath)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (!trimmed.Contains("://", StringComparison.Ordinal))
        {
            var authority = trimmed.Split('/', 2)[0];
            trimmed = (DefaultRegistryHosts.IsLoopback(authority) ? "http://" : "https://") + trimmed;
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }

        var path = CollapseSlashes(uri.AbsolutePath).TrimEnd('/');
        if (!overridePath && !path.EndsWith("/v2", StringComparison.Ordinal))
        {
            path += "/v2";
        }

        return new HostsEndpoint(uri.Scheme, uri.Authority, path);
    }

    private static string CollapseSlashes(string path)
    {
        while (path.Contains("//", StringComparison.Ordinal))
        {
            path = path.Replace("//", "/", StringComparison.Ordinal);
        }

        return path;
    }
}
