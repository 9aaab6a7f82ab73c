using System.Net;

namespace ContentPS.Engine.Remotes.Auth;

/// <summary>The pooled HTTP clients token requests use when the caller gives none: one verifying TLS, one that does not (<c>-SkipCertificateCheck</c>).</summary>
internal static class TokenHttp
{
    private static readonly Lazy<HttpMessageInvoker> Verifying = new(() => Create(skipVerify: false));
    private static readonly Lazy<HttpMessageInvoker> NotVerifying = new(() => Create(skipVerify: true));

    public static HttpMessageInvoker Shared(bool skipCertificateCheck) => (skipCertificateCheck ? NotVerifying : Verifying).Value;

    private static HttpMessageInvoker Create(bool skipVerify)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
        };
        if (skipVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }

        return new HttpMessageInvoker(handler, disposeHandler: false);
    }
}
