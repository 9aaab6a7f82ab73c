using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using ContentPS.Engine.Diagnostics;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Http;

/// <summary>
/// BASELINE (to be completed by the transport work: handler pool per TLS options, retries with
/// per-host backoff and Retry-After, Warning headers). Sends one request, answers one 401
/// challenge through the authorizer, follows redirects without carrying Authorization to
/// another host, writes one verbose line per attempt.
/// </summary>
public sealed class RegistryTransport : IRegistryTransport
{
    private const int MaxRedirects = 10;

    private static readonly HttpClient SharedClient = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly IRegistryAuthorizer? _authorizer;
    private readonly RegistryClientOptions _options;

    public RegistryTransport(RegistryClientOptions options, IRegistryAuthorizer? authorizer)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _authorizer = authorizer;
    }

    public async Task<HttpResponseMessage> SendAsync(RegistryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool challenged = false;
        while (true)
        {
            var response = await SendFollowingRedirectsAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && !challenged && _authorizer is not null
                && await _authorizer.HandleChallengeAsync(request.Host, request.Scope, response, cancellationToken).ConfigureAwait(false))
            {
                challenged = true;
                response.Dispose();
                continue;
            }

            return response;
        }
    }

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(RegistryRequest request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri;
        var method = request.Method;
        for (int redirects = 0; ; redirects++)
        {
            using var message = await CreateMessageAsync(request, method, url, cancellationToken).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            HttpResponseMessage response;
            try
            {
                response = await SharedClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                _options.Log.Request(method.Method, url, null, Stopwatch.GetElapsedTime(started), e.Message);
                throw Errors.New(ErrorClass.Unavailable, $"{method} {RequestLog.RedactUrl(url)}: {e.Message}", ErrorIds.RegistryUnavailable, e, url.Host);
            }

            _options.Log.Request(method.Method, url, (int)response.StatusCode, Stopwatch.GetElapsedTime(started));
            if (!request.FollowRedirects || !IsRedirect(response.StatusCode) || response.Headers.Location is null || redirects >= MaxRedirects)
            {
                return response;
            }

            url = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(url, response.Headers.Location);
            if (response.StatusCode == HttpStatusCode.SeeOther)
            {
                method = method == HttpMethod.Head ? HttpMethod.Head : HttpMethod.Get;
            }

            response.Dispose();
        }
    }

    private async Task<HttpRequestMessage> CreateMessageAsync(RegistryRequest request, HttpMethod method, Uri url, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(method, url);
        message.Headers.UserAgent.ParseAdd(_options.UserAgent);
        foreach (var accept in request.Accept)
        {
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        if (request.Range is not null)
        {
            message.Headers.Range = request.Range;
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        bool sameHost = string.Equals(url.Authority, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            || (url.IsDefaultPort && string.Equals(url.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase));
        if (sameHost)
        {
            foreach (var (name, values) in request.Host.Headers)
            {
                message.Headers.TryAddWithoutValidation(name, values);
            }

            if (_authorizer is not null
                && await _authorizer.GetAuthorizationAsync(request.Host, request.Scope, cancellationToken).ConfigureAwait(false) is { } authorization)
            {
                message.Headers.Authorization = authorization;
            }
        }

        if (request.Content is not null && method != HttpMethod.Get && method != HttpMethod.Head)
        {
            message.Content = request.Content();
        }

        return message;
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
