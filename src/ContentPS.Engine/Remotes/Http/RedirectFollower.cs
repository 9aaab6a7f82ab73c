using System.Diagnostics;
using System.Net;
using ContentPS.Engine.Diagnostics;

namespace ContentPS.Engine.Remotes.Http;

/// <summary>
/// Sends one attempt of a request and follows its 3xx redirects by hand, up to
/// <see cref="MaxRedirects"/>: a 303 turns into a GET (a HEAD stays a HEAD), the others keep the
/// method and body. Every hop waits out its host's backoff; every redirect hop is logged here, the
/// final one by the caller (who adds the retry decision).
/// </summary>
internal sealed class RedirectFollower(RegistryRequest request, RequestMessageFactory messages, RegistryClientOptions options)
{
    public const int MaxRedirects = 10;

    /// <summary>The method of the last hop sent (for the log line and error message).</summary>
    public HttpMethod Method { get; private set; } = request.Method;

    /// <summary>The URL of the last hop sent.</summary>
    public Uri Url { get; private set; } = request.RequestUri;

    /// <summary>When the last hop was sent (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public long Started { get; private set; } = Stopwatch.GetTimestamp();

    public async Task<HttpResponseMessage> SendAsync(CancellationToken cancellationToken)
    {
        for (int redirects = 0; ; redirects++)
        {
            if (await HostBackoff.WaitAsync(Url.Authority, cancellationToken).ConfigureAwait(false) is { Ticks: > 0 } waited)
            {
                options.Log.Debug($"{Method.Method} {RequestLog.RedactUrl(Url)}: waited {RetryPolicy.Describe(waited)} because {Url.Authority} asked to slow down");
            }

            using var message = await messages.CreateAsync(Method, Url, cancellationToken).ConfigureAwait(false);
            var invoker = HttpHandlerPool.Get(TlsFor(Url), options.MaxConnectionsPerHost);
            Started = Stopwatch.GetTimestamp();
            var response = await invoker.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (!request.FollowRedirects || !IsRedirect(response.StatusCode) || response.Headers.Location is not { } location || redirects >= MaxRedirects)
            {
                return response;
            }

            options.Log.Request(Method.Method, Url, (int)response.StatusCode, Stopwatch.GetElapsedTime(Started));
            response.Dispose();
            Url = location.IsAbsoluteUri ? location : new Uri(Url, location);
            if (response.StatusCode == HttpStatusCode.SeeOther && Method != HttpMethod.Head)
            {
                Method = HttpMethod.Get;
            }
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    // The host's own TLS settings (CA files, client certificates) are for that host only; a redirect
    // to a storage backend is checked against the system's roots (or not at all with -SkipCertificateCheck).
    private RegistryTlsOptions TlsFor(Uri url)
    {
        var tls = messages.IsRequestHost(url) ? request.Host.Tls : RegistryTlsOptions.Default;
        return options.SkipCertificateCheck && !tls.SkipVerify ? tls with { SkipVerify = true } : tls;
    }
}
