using System.Collections.Concurrent;
using System.Net.Http.Headers;
using ContentPS.Engine.Diagnostics;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Remotes.Hosts;

namespace ContentPS.Engine.Remotes.Auth;

/// <summary>
/// Docker's registry authentication: Basic for hosts that challenge Basic (then sent up front),
/// Bearer tokens for hosts that challenge Bearer — anonymous GET without a credential, OAuth2 POST
/// with one (see <see cref="TokenEndpointClient"/>) — cached per realm + service + scopes until a
/// little before they expire, with one fetch per key however many requests wait for it. Once a
/// host has challenged, later requests get their token before they are sent, so a new scope costs
/// a token request but no 401. An <c>insufficient_scope</c> challenge widens the request's scopes
/// with the registry's for that host. The explicit <see cref="RegistryClientOptions.Credential"/>
/// is used for every host; otherwise the credential provider is asked once per host.
/// </summary>
public sealed class RegistryAuthorizer : IRegistryAuthorizer
{
    private readonly RegistryClientOptions _options;
    private readonly ICredentialProvider? _credentials;
    private readonly TokenEndpointClient _tokenClient;
    private readonly TokenCache _tokens;
    private readonly ConcurrentDictionary<string, HostAuthState> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<RegistryCredential?>>> _credentialsByHost = new(StringComparer.OrdinalIgnoreCase);

    public RegistryAuthorizer(RegistryClientOptions options, ICredentialProvider? credentials)
        : this(options, credentials, tokenClient: null)
    {
    }

    /// <param name="options">The client options: explicit credential, log, user agent, certificate check.</param>
    /// <param name="credentials">Where credentials come from when <see cref="RegistryClientOptions.Credential"/> is null; null: anonymous.</param>
    /// <param name="tokenClient">Sends token requests (e.g. the transport's pooled handler); null: a shared client of this class.</param>
    /// <param name="timeProvider">The clock token expiry is measured with; null: the system clock.</param>
    public RegistryAuthorizer(RegistryClientOptions options, ICredentialProvider? credentials, HttpMessageInvoker? tokenClient, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _credentials = credentials;
        var time = timeProvider ?? TimeProvider.System;
        _tokens = new TokenCache(time);
        _tokenClient = new TokenEndpointClient(tokenClient ?? TokenHttp.Shared(options.SkipCertificateCheck), options.Log, options.UserAgent, time);
    }

    public async ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(RegistryHost host, AuthScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(scope);
        if (!_hosts.TryGetValue(HostKey(host), out var state))
        {
            return null;
        }

        if (state.Bearer is { } challenge)
        {
            var token = await GetTokenAsync(host, challenge, state.Effective(scope), cancellationToken).ConfigureAwait(false);
            return new AuthenticationHeaderValue(AuthChallenge.BearerScheme, token.Value);
        }

        if (state.Basic && await GetCredentialAsync(host, cancellationToken).ConfigureAwait(false) is { IsIdentityToken: false } credential)
        {
            return BasicAuthorization.Create(credential);
        }

        return null;
    }

    public async ValueTask<bool> HandleChallengeAsync(RegistryHost host, AuthScope scope, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(response);
        var challenges = AuthChallengeParser.Parse(response);
        var sent = response.RequestMessage?.Headers.Authorization;
        var state = _hosts.GetOrAdd(HostKey(host), _ => new HostAuthState());
        if (challenges.FirstOrDefault(c => c.IsBearer) is { } bearer)
        {
            return await HandleBearerAsync(host, scope, bearer, sent, state, cancellationToken).ConfigureAwait(false);
        }

        if (challenges.Any(c => c.IsBasic))
        {
            return await HandleBasicAsync(host, sent, state, cancellationToken).ConfigureAwait(false);
        }

        _options.Log.Debug($"{host.Host} answered {(int)response.StatusCode} without a Basic or Bearer challenge ({string.Join(", ", challenges.Select(c => c.Scheme))}).");
        return false;
    }

    private async Task<bool> HandleBearerAsync(RegistryHost host, AuthScope scope, AuthChallenge challenge, AuthenticationHeaderValue? sent,
        HostAuthState state, CancellationToken cancellationToken)
    {
        var realm = RealmOf(host, challenge);
        state.LearnBearer(challenge);
        var requested = state.Effective(scope);
        var wanted = requested.Merge(AuthScope.Parse(challenge.Scope));
        if (!wanted.Equals(requested))
        {
            state.Widen(scope, wanted);
            _options.Log.Debug($"{host.Host} wants scope '{wanted}' for a request that asked '{requested}'.");
        }

        var key = TokenKey.For(realm, challenge.Service, wanted);
        string? sentToken = string.Equals(sent?.Scheme, AuthChallenge.BearerScheme, StringComparison.OrdinalIgnoreCase) ? sent!.Parameter : null;
        if (sentToken is not null && _tokens.Peek(key)?.Value == sentToken)
        {
            // The token for exactly these scopes was refused. Too few rights: a new one gets the same.
            if (challenge.IsInsufficientScope)
            {
                _options.Log.Debug($"{host.Host} refused the token for '{wanted}' as insufficient; the token server granted less than asked.");
                return false;
            }

            _tokens.Invalidate(key, sentToken);
        }

        var token = await GetTokenAsync(host, challenge, wanted, cancellationToken).ConfigureAwait(false);
        return token.Value != sentToken;
    }

    private async Task<bool> HandleBasicAsync(RegistryHost host, AuthenticationHeaderValue? sent, HostAuthState state, CancellationToken cancellationToken)
    {
        if (await GetCredentialAsync(host, cancellationToken).ConfigureAwait(false) is not { IsIdentityToken: false } credential)
        {
            _options.Log.Debug($"{host.Host} challenged Basic and there is no user name and password for it.");
            return false;
        }

        var header = BasicAuthorization.Create(credential);
        if (string.Equals(sent?.Scheme, AuthChallenge.BasicScheme, StringComparison.OrdinalIgnoreCase) && sent!.Parameter == header.Parameter)
        {
            return false;
        }

        state.LearnBasic();
        return true;
    }

    private async Task<BearerToken> GetTokenAsync(RegistryHost host, AuthChallenge challenge, AuthScope scope, CancellationToken cancellationToken)
    {
        var realm = RealmOf(host, challenge);
        var credential = await GetCredentialAsync(host, cancellationToken).ConfigureAwait(false);
        if (credential is not null && !MaySendCredentials(host, realm))
        {
            throw Errors.New(ErrorClass.Unauthenticated,
                $"Registry {host.Host} sends its token requests to {RequestLog.RedactUrl(realm)}, which is plain HTTP; ContentPS does not send credentials there.",
                ErrorIds.RegistryUnauthorized, target: host.Host);
        }

        var fetch = new TokenFetch(realm, challenge.Service, scope, credential, host.Host);
        return await _tokens.GetAsync(TokenKey.For(realm, challenge.Service, scope), () => _tokenClient.FetchAsync(fetch), cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<RegistryCredential?> GetCredentialAsync(RegistryHost host, CancellationToken cancellationToken)
    {
        if (_options.Credential is { } explicitCredential)
        {
            return ValueTask.FromResult<RegistryCredential?>(explicitCredential);
        }

        if (_credentials is null)
        {
            return ValueTask.FromResult<RegistryCredential?>(null);
        }

        var lookup = LookUp(host.Host);
        if (lookup.IsFaulted || lookup.IsCanceled)
        {
            // A failed lookup (a helper that timed out) is not remembered: ask again.
            _credentialsByHost.TryRemove(host.Host, out _);
            lookup = LookUp(host.Host);
        }

        return new ValueTask<RegistryCredential?>(lookup.WaitAsync(cancellationToken));

        Task<RegistryCredential?> LookUp(string name) => _credentialsByHost.GetOrAdd(name, h => new Lazy<Task<RegistryCredential?>>(
            () => _credentials.GetCredentialAsync(h, CancellationToken.None).AsTask())).Value;
    }

    private static Uri RealmOf(RegistryHost host, AuthChallenge challenge)
    {
        if (Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) && (realm.Scheme == Uri.UriSchemeHttps || realm.Scheme == Uri.UriSchemeHttp))
        {
            return realm;
        }

        throw Errors.New(ErrorClass.Unauthenticated,
            $"Registry {host.Host} asked for a token but named no usable token server (realm '{challenge.Realm}').",
            ErrorIds.RegistryUnauthorized, target: host.Host);
    }

    // Credentials travel in the clear only where the registry itself is plain HTTP or the realm is this machine.
    private static bool MaySendCredentials(RegistryHost host, Uri realm) =>
        realm.Scheme == Uri.UriSchemeHttps
        || string.Equals(host.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase)
        || DefaultRegistryHosts.IsLoopback(realm.Authority);

    private static string HostKey(RegistryHost host) => $"{host.Scheme}://{host.Host}";
}
