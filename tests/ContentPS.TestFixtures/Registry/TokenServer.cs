using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;

namespace ContentPS.TestFixtures;

/// <summary>
/// The token server of the token-auth registry flavour, in this process on a free 127.0.0.1 port:
/// GET with optional Basic auth (Docker's token protocol) and OAuth2 POST with the
/// <c>password</c> and <c>refresh_token</c> grants. It issues ES256 JWTs the registry trusts
/// (see <see cref="TokenSigningKey"/>), grants by <see cref="TokenAccessPolicy"/> and records every
/// request in <see cref="Requests"/>.
/// </summary>
public sealed class TokenServer : IDisposable
{
    public const string ServiceName = "contentps-test-registry";
    public const string IssuerName = "contentps-test-token-server";
    public const string DefaultUsername = "testuser";
    private const string TokenPath = "/token";
    private const int MaxStartAttempts = 5;

    private readonly HttpListener _listener;
    private readonly TokenSigningKey _key;
    private readonly ConcurrentQueue<TokenRequestRecord> _requests = new();
    private readonly ConcurrentDictionary<string, string> _refreshTokens = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _disposed;

    private TokenServer(HttpListener listener, TokenSigningKey key, int port)
    {
        _listener = listener;
        _key = key;
        Port = port;
        Password = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 24);
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>The realm the registry's challenges name: <c>http://127.0.0.1:port/token</c>.</summary>
    public Uri Realm => new($"http://127.0.0.1:{Port}{TokenPath}");

    public string Username => DefaultUsername;

    /// <summary>The generated password of <see cref="Username"/>.</summary>
    public string Password { get; }

    /// <summary>The token lifetime it announces (<c>expires_in</c>) and signs (<c>exp</c>); 300 s unless changed.</summary>
    public int ExpiresInSeconds { get; set; } = 300;

    /// <summary>When set, every POST is answered with this status (a token server without OAuth2 support).</summary>
    public HttpStatusCode? RefusePostWith { get; set; }

    /// <summary>The PEM certificate the registry must trust (<c>rootcertbundle</c>).</summary>
    public string RootCertificatePem => _key.CertificatePem;

    /// <summary>Every request answered so far, in arrival order.</summary>
    public IReadOnlyList<TokenRequestRecord> Requests => _requests.ToArray();

    public static TokenServer Start()
    {
        var key = TokenSigningKey.Create();
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Pick();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new TokenServer(listener, key, port);
            }
            catch (HttpListenerException) when (attempt < MaxStartAttempts)
            {
                listener.Close();
            }
            catch
            {
                listener.Close();
                key.Dispose();
                throw;
            }
        }
    }

    /// <summary>A refresh token for the user, as a <c>docker login</c> with an identity token would store it.</summary>
    public string IssueRefreshToken()
    {
        var refreshToken = RandomNumberGenerator.GetHexString(40, lowercase: true);
        _refreshTokens[refreshToken] = Username;
        return refreshToken;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
        _key.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            var request = await TokenRequest.ReadAsync(context.Request).ConfigureAwait(false);
            var (status, body) = Decide(request);
            _requests.Enqueue(request.ToRecord(status));
            await WriteAsync(context.Response, status, body).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away; nothing to answer.
        }
    }

    private (int Status, JsonObject Body) Decide(TokenRequest request)
    {
        if (!string.Equals(request.Path, TokenPath, StringComparison.Ordinal))
        {
            return (404, Error("not_found", "no such endpoint"));
        }

        if (request.Method == "POST" && RefusePostWith is { } refusal)
        {
            return ((int)refusal, Error("unsupported", "this token server takes GET only"));
        }

        if (request.Method is not ("GET" or "POST"))
        {
            return (405, Error("method_not_allowed", "GET or POST"));
        }

        var (user, failure) = Authenticate(request);
        if (failure is not null)
        {
            return failure.Value;
        }

        var scopes = request.Scopes.Select(TokenAccessPolicy.Scope.Parse).OfType<TokenAccessPolicy.Scope>().ToList();
        if (TokenAccessPolicy.RefusalFor(scopes) is { } refused)
        {
            return (refused, Error(refused == 403 ? "access_denied" : "temporarily_unavailable", "the policy of this test server refuses these scopes"));
        }

        var token = IssueAccessToken(user, TokenAccessPolicy.Grants(scopes, user));
        var body = new JsonObject
        {
            [request.Method == "POST" ? "access_token" : "token"] = token,
            ["expires_in"] = ExpiresInSeconds,
            ["issued_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        if (request.RefreshToken is { } presented)
        {
            body["refresh_token"] = presented;
        }
        else if (request.OfflineRequested && user is not null)
        {
            body["refresh_token"] = IssueRefreshToken();
        }

        return (200, body);
    }

    // Returns the authenticated user (null: anonymous) or the refusal to answer.
    private (string? User, (int, JsonObject)? Failure) Authenticate(TokenRequest request)
    {
        if (request.Method == "POST")
        {
            switch (request.GrantType)
            {
                case "password" when request.FormUsername == Username && request.FormPassword == Password:
                    return (Username, null);
                case "password":
                    return (null, (401, Error("invalid_grant", "wrong user name or password")));
                case "refresh_token" when request.RefreshToken is { } refresh && _refreshTokens.TryGetValue(refresh, out var owner):
                    return (owner, null);
                case "refresh_token":
                    return (null, (401, Error("invalid_grant", "unknown refresh token")));
                default:
                    return (null, (400, Error("unsupported_grant_type", "use password or refresh_token")));
            }
        }

        if (request.Basic is not { } basic)
        {
            return (null, null);
        }

        return basic == (Username, Password)
            ? (Username, null)
            : (null, (401, Error("invalid_credentials", "wrong user name or password")));
    }

    private string IssueAccessToken(string? user, IReadOnlyList<TokenAccessPolicy.Grant> grants)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var access = new JsonArray();
        foreach (var grant in grants)
        {
            access.Add(new JsonObject
            {
                ["type"] = grant.Type,
                ["name"] = grant.Name,
                ["actions"] = new JsonArray(grant.Actions.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
            });
        }

        return _key.Sign(new JsonObject
        {
            ["iss"] = IssuerName,
            ["sub"] = user ?? string.Empty,
            ["aud"] = ServiceName,
            ["exp"] = now + ExpiresInSeconds,
            ["nbf"] = now - 1,
            ["iat"] = now,
            ["jti"] = RandomNumberGenerator.GetHexString(16, lowercase: true),
            ["access"] = access,
        });
    }

    private static JsonObject Error(string code, string description) => new()
    {
        ["error"] = code,
        ["error_description"] = description,
    };

    private static async Task WriteAsync(HttpListenerResponse response, int status, JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }

    /// <summary>What one request asked, read from its query (GET) or form (POST).</summary>
    private sealed record TokenRequest(string Method, string Path, string? GrantType, IReadOnlyList<string> Scopes, string? Service,
        (string User, string Password)? Basic, string? ClientId, bool OfflineRequested, string? FormUsername, string? FormPassword, string? RefreshToken)
    {
        public static async Task<TokenRequest> ReadAsync(HttpListenerRequest request)
        {
            var basic = ParseBasic(request.Headers["Authorization"]);
            if (request.HttpMethod == "POST")
            {
                using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
                var form = HttpUtility.ParseQueryString(await reader.ReadToEndAsync().ConfigureAwait(false));
                return new TokenRequest("POST", request.Url!.AbsolutePath, form["grant_type"], SplitScopes(form.GetValues("scope")), form["service"],
                    basic, form["client_id"], form["access_type"] == "offline", form["username"], form["password"], form["refresh_token"]);
            }

            var query = request.QueryString;
            return new TokenRequest(request.HttpMethod, request.Url!.AbsolutePath, null, SplitScopes(query.GetValues("scope")), query["service"],
                basic, query["client_id"], query["offline_token"] == "true", null, null, null);
        }

        public TokenRequestRecord ToRecord(int status) => new(Method, GrantType, Scopes, Service, Basic is not null, ClientId, OfflineRequested,
            status == 200 ? (Basic?.User ?? FormUsername ?? (RefreshToken is null ? null : DefaultUsername)) : null, status);

        private static IReadOnlyList<string> SplitScopes(string[]? values) =>
            (values ?? []).SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();

        private static (string, string)? ParseBasic(string? header)
        {
            if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                int colon = text.IndexOf(':');
                return colon < 0 ? (text, string.Empty) : (text[..colon], text[(colon + 1)..]);
            }
            catch (FormatException)
            {
                return (string.Empty, string.Empty);
            }
        }
    }
}
