using System.Collections.Concurrent;
using System.Net;

namespace ContentPS.Engine.Remotes.Http;

/// <summary>
/// One pooled <see cref="SocketsHttpHandler"/> per distinct TLS options and connection limit, for
/// the whole process: connections are reused across cmdlet calls, and the common case (verified
/// TLS, no client certificate) shares one handler for every host.
/// </summary>
internal static class HttpHandlerPool
{
    private static readonly ConcurrentDictionary<Key, Lazy<HttpMessageInvoker>> Invokers = new();

    /// <summary>The invoker for <paramref name="tls"/>; the first call for new options reads their certificate files.</summary>
    public static HttpMessageInvoker Get(RegistryTlsOptions tls, int maxConnectionsPerHost)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var key = new Key(tls, Math.Max(1, maxConnectionsPerHost));
        var lazy = Invokers.GetOrAdd(key, k => new Lazy<HttpMessageInvoker>(() => Create(k)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // Bad certificate files: do not remember the failure, the user may fix them and call again.
            Invokers.TryRemove(new KeyValuePair<Key, Lazy<HttpMessageInvoker>>(key, lazy));
            throw;
        }
    }

    private static HttpMessageInvoker Create(Key key)
    {
        var trust = CertificateTrust.Load(key.Tls);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            MaxConnectionsPerServer = key.MaxConnectionsPerHost,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            EnableMultipleHttp2Connections = true,
        };
        if (trust.ClientCertificates.Count > 0)
        {
            handler.SslOptions.ClientCertificates = trust.ClientCertificates;
        }

        if (trust.NeedsCustomValidation)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => trust.Validate(certificate, chain, errors);
        }

        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private sealed record Key(RegistryTlsOptions Tls, int MaxConnectionsPerHost);
}
