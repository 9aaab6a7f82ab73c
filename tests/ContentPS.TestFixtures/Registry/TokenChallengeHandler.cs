using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ContentPS.TestFixtures;

/// <summary>
/// Lets the fixtures' own HttpClients (readiness checks, push verification) talk to a token-auth
/// registry: on a 401 with a Bearer challenge it gets a token from the realm with a GET (Basic
/// credentials when it has them) and sends the request again. A fixture helper, not the product's
/// authorizer: it knows only the realm, service and scope parameters.
/// </summary>
public sealed class TokenChallengeHandler : DelegatingHandler
{
    private readonly string? _username;
    private readonly string? _password;
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public TokenChallengeHandler(string? username, string? password)
        : base(new SocketsHttpHandler())
    {
        _username = username;
        _password = password;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Content is not null)
        {
            return response;
        }

        var bearer = response.Headers.WwwAuthenticate.FirstOrDefault(c => string.Equals(c.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase));
        if (bearer?.Parameter is null)
        {
            return response;
        }

        var parameters = ParseParameters(bearer.Parameter);
        if (!parameters.TryGetValue("realm", out var realm))
        {
            return response;
        }

        parameters.TryGetValue("scope", out var scope);
        var key = $"{realm} {scope}";
        if (!_tokens.TryGetValue(key, out var token))
        {
            token = await FetchTokenAsync(realm, parameters.GetValueOrDefault("service"), scope, cancellationToken).ConfigureAwait(false);
            _tokens[key] = token;
        }

        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> FetchTokenAsync(string realm, string? service, string? scope, CancellationToken cancellationToken)
    {
        var query = new StringBuilder("?service=").Append(Uri.EscapeDataString(service ?? string.Empty));
        if (!string.IsNullOrEmpty(scope))
        {
            query.Append("&scope=").Append(Uri.EscapeDataString(scope));
        }

        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, realm + query);
        if (_username is not null)
        {
            tokenRequest.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_username}:{_password}")));
        }

        using var tokenResponse = await base.SendAsync(tokenRequest, cancellationToken).ConfigureAwait(false);
        if (!tokenResponse.IsSuccessStatusCode)
        {
            throw new FixtureException($"The token server {realm} answered {(int)tokenResponse.StatusCode}.");
        }

        using var json = JsonDocument.Parse(await tokenResponse.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        return (json.RootElement.TryGetProperty("token", out var t) ? t : json.RootElement.GetProperty("access_token")).GetString()!;
    }

    // realm="…",service="…",scope="…" as distribution writes it (quoted values without escapes).
    private static Dictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < text.Length)
        {
            int equals = text.IndexOf('=', i);
            if (equals < 0) break;
            var name = text[i..equals].Trim(' ', ',');
            int start = equals + 1;
            string value;
            if (start < text.Length && text[start] == '"')
            {
                int end = text.IndexOf('"', start + 1);
                if (end < 0) break;
                value = text[(start + 1)..end];
                i = end + 1;
            }
            else
            {
                int end = text.IndexOf(',', start);
                end = end < 0 ? text.Length : end;
                value = text[start..end];
                i = end;
            }

            result[name] = value;
        }

        return result;
    }
}
