using System.Net.Http.Headers;

namespace ContentPS.Engine.Remotes.Http;

/// <summary>
/// Builds the message of one send of a <see cref="RegistryRequest"/>: Accept, Range, extra
/// headers, a fresh body, and — only for the request's own host — the host's configured headers
/// and <c>Authorization</c>, so a redirect never carries them to another host.
/// </summary>
internal sealed class RequestMessageFactory(RegistryRequest request, RegistryClientOptions options, IRegistryAuthorizer? authorizer)
{
    private static readonly Version Http2 = new(2, 0);

    public bool IsRequestHost(Uri url) =>
        string.Equals(url.Authority, request.Host.Host, StringComparison.OrdinalIgnoreCase)
        || (url.IsDefaultPort && string.Equals(url.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase));

    public async Task<HttpRequestMessage> CreateAsync(HttpMethod method, Uri url, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(method, url)
        {
            // HTTP/2 when the server offers it over TLS (ALPN); HTTP/1.1 otherwise and for plain http.
            Version = Http2,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        message.Headers.UserAgent.ParseAdd(options.UserAgent);
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

        if (IsRequestHost(url))
        {
            foreach (var (name, values) in request.Host.Headers)
            {
                message.Headers.TryAddWithoutValidation(name, values);
            }

            if (authorizer is not null
                && await authorizer.GetAuthorizationAsync(request.Host, request.Scope, cancellationToken).ConfigureAwait(false) is { } authorization)
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
}
