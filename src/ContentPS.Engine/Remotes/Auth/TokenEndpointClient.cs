using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ContentPS.Engine.Diagnostics;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Auth;

/// <summary>
/// Asks a token endpoint for a bearer token. Anonymous: GET. With a credential: the OAuth2 POST
/// (<c>grant_type=password</c>, or <c>refresh_token</c> for an identity token), and, for a user
/// name and password, a GET with Basic auth when the POST is refused with 400, 401, 404 or 405
/// (servers without OAuth2 support answer each of these); a realm that needed the GET gets the GET
/// first from then on. Failures are classified and name the realm and registry, never a secret.
/// </summary>
internal sealed class TokenEndpointClient
{
    public const string ClientId = "ContentPS";
    private const int MaxResponseBytes = 1024 * 1024;
    private const int MaxDescriptionLength = 300;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpMessageInvoker _http;
    private readonly IEngineLog _log;
    private readonly string _userAgent;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, bool> _getOnlyRealms = new(StringComparer.Ordinal);

    public TokenEndpointClient(HttpMessageInvoker http, IEngineLog log, string userAgent, TimeProvider time)
    {
        _http = http;
        _log = log;
        _userAgent = userAgent;
        _time = time;
    }

    public async Task<BearerToken> FetchAsync(TokenFetch fetch)
    {
        if (fetch.Credential is not { } credential)
        {
            return await GetAsync(fetch, basic: null).ConfigureAwait(false);
        }

        bool canUseGet = !credential.IsIdentityToken;
        if (canUseGet && _getOnlyRealms.ContainsKey(fetch.Realm.AbsoluteUri))
        {
            return await GetAsync(fetch, credential).ConfigureAwait(false);
        }

        var (status, body, token) = await SendAsync(fetch, CreatePost(fetch, credential)).ConfigureAwait(false);
        if (token is not null)
        {
            return token;
        }

        if (canUseGet && status is 400 or 401 or 404 or 405)
        {
            _log.Debug($"The token server {RequestLog.RedactUrl(fetch.Realm)} refused the OAuth2 POST ({status}); asking with GET and Basic auth.");
            var fallback = await GetAsync(fetch, credential).ConfigureAwait(false);
            _getOnlyRealms[fetch.Realm.AbsoluteUri] = true;
            return fallback;
        }

        throw Failure(fetch, status, body);
    }

    private async Task<BearerToken> GetAsync(TokenFetch fetch, RegistryCredential? basic)
    {
        var (status, body, token) = await SendAsync(fetch, CreateGet(fetch, basic)).ConfigureAwait(false);
        return token ?? throw Failure(fetch, status, body);
    }

    private HttpRequestMessage CreatePost(TokenFetch fetch, RegistryCredential credential)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", credential.IsIdentityToken ? "refresh_token" : "password"),
            new("service", fetch.Service ?? string.Empty),
            new("client_id", ClientId),
        };
        if (credential.IsIdentityToken)
        {
            form.Add(new("refresh_token", credential.Secret));
        }
        else
        {
            form.Add(new("username", credential.Username));
            form.Add(new("password", credential.Secret));
        }

        if (fetch.Scope.Scopes.Count > 0)
        {
            form.Add(new("scope", fetch.Scope.ToString()));
        }

        return new HttpRequestMessage(HttpMethod.Post, fetch.Realm) { Content = new FormUrlEncodedContent(form) };
    }

    private static HttpRequestMessage CreateGet(TokenFetch fetch, RegistryCredential? basic)
    {
        var query = new StringBuilder(fetch.Realm.Query.Length > 1 ? fetch.Realm.Query[1..] : string.Empty);
        void Add(string name, string value) =>
            query.Append(query.Length > 0 ? "&" : string.Empty).Append(name).Append('=').Append(Uri.EscapeDataString(value));
        if (!string.IsNullOrEmpty(fetch.Service))
        {
            Add("service", fetch.Service);
        }

        foreach (var scope in fetch.Scope.Scopes)
        {
            Add("scope", scope);
        }

        var url = new UriBuilder(fetch.Realm) { Query = query.ToString() }.Uri;
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (basic is not null)
        {
            request.Headers.Authorization = BasicAuthorization.Create(basic);
        }

        return request;
    }

    // Sends one token request; a token on success, else the status and the start of the body.
    private async Task<(int Status, string? Body, BearerToken? Token)> SendAsync(TokenFetch fetch, HttpRequestMessage request)
    {
        using (request)
        {
            request.Headers.UserAgent.ParseAdd(_userAgent);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var timeout = new CancellationTokenSource(RequestTimeout);
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                _log.Request(request.Method.Method, request.RequestUri!, status, Stopwatch.GetElapsedTime(started));
                var bytes = await ReadBoundedAsync(response, timeout.Token).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return (status, Encoding.UTF8.GetString(bytes), null);
                }

                return (status, null, BearerToken.Parse(bytes, _time.GetUtcNow())
                    ?? throw Errors.New(ErrorClass.Unavailable,
                        $"The token server {RequestLog.RedactUrl(fetch.Realm)} answered registry {fetch.RegistryHost} without a token.",
                        ErrorIds.RegistryUnavailable, target: fetch.RegistryHost));
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && timeout.IsCancellationRequested))
            {
                string reason = e is OperationCanceledException ? $"no answer within {RequestTimeout.TotalSeconds:0} s" : e.Message;
                _log.Request(request.Method.Method, request.RequestUri!, null, Stopwatch.GetElapsedTime(started), reason);
                throw Errors.New(ErrorClass.Unavailable,
                    $"The token server {RequestLog.RedactUrl(fetch.Realm)} for registry {fetch.RegistryHost} cannot be reached: {reason}",
                    ErrorIds.RegistryUnavailable, e, fetch.RegistryHost);
            }
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < MaxResponseBytes && (read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, (int)Math.Min(read, MaxResponseBytes - buffer.Length));
        }

        return buffer.ToArray();
    }

    private static ClassifiedException Failure(TokenFetch fetch, int status, string? body)
    {
        var (errorClass, errorId, meaning) = status switch
        {
            401 => (ErrorClass.Unauthenticated, ErrorIds.RegistryUnauthorized, "refused the credentials"),
            403 => (ErrorClass.PermissionDenied, ErrorIds.RegistryDenied, "denied access"),
            429 => (ErrorClass.ResourceExhausted, ErrorIds.RegistryRateLimited, "is rate limiting"),
            >= 500 => (ErrorClass.Unavailable, ErrorIds.RegistryUnavailable, "is failing"),
            _ => (ErrorClass.Unauthenticated, ErrorIds.RegistryUnauthorized, "refused the token request"),
        };
        string who = fetch.Credential is null ? "anonymous" : fetch.Credential.IsIdentityToken ? "identity token" : $"user {fetch.Credential.Username}";
        string scope = fetch.Scope.Scopes.Count > 0 ? fetch.Scope.ToString() : "no scope";
        string? description = Describe(body, fetch.Credential);
        return Errors.New(errorClass,
            $"The token server {RequestLog.RedactUrl(fetch.Realm)} {meaning} ({status}) for registry {fetch.RegistryHost} ({who}, {scope})"
            + (description is null ? "." : $": {description}"),
            errorId, target: fetch.RegistryHost, details: description);
    }

    // The server's own words from an OAuth2 ({error, error_description}) or registry ({errors:[{message}]}) error body.
    private static string? Describe(string? body, RegistryCredential? credential)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        string? text = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                text = StringOf(root, "error_description") ?? StringOf(root, "details") ?? StringOf(root, "message") ?? StringOf(root, "error");
                if (text is null && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                {
                    text = string.Join("; ", errors.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object ? StringOf(e, "message") : null).OfType<string>());
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // A server that echoes what it was sent must not leak it into a message.
        if (credential is not null && credential.Secret.Length > 0)
        {
            text = text.Replace(credential.Secret, RequestLog.Redacted, StringComparison.Ordinal);
        }

        return text.Length > MaxDescriptionLength ? text[..MaxDescriptionLength] + "…" : text;
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
