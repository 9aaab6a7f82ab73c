using System.Net.Http.Headers;

namespace ContentPS.Engine.Remotes;

/// <summary>
/// Adds credentials to registry requests and answers authentication challenges (Basic; Bearer
/// tokens, anonymous or with credentials, cached per realm + service + scope until they expire).
/// Thread-safe: parallel transfers share one authorizer.
/// </summary>
public interface IRegistryAuthorizer
{
    /// <summary>
    /// The <c>Authorization</c> header for a request to <paramref name="host"/> needing
    /// <paramref name="scope"/>, from what earlier challenges taught (a cached token, Basic
    /// credentials), or null when nothing is known yet (the request goes out anonymous and its
    /// 401 challenge is passed to <see cref="HandleChallengeAsync"/>).
    /// </summary>
    ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(RegistryHost host, AuthScope scope, CancellationToken cancellationToken);

    /// <summary>
    /// Learns from a 401 (or a 403 whose challenge says <c>insufficient_scope</c>) response for
    /// <paramref name="scope"/>: parses <c>WWW-Authenticate</c>, fetches a token when needed.
    /// Returns true when sending the request again with a fresh <see cref="GetAuthorizationAsync"/>
    /// header may succeed; false when it cannot (no credential for a Basic challenge, the same
    /// token was already refused) — the caller then reports the response as it is.
    /// </summary>
    /// <remarks>Token endpoint failures throw classified exceptions (Unauthenticated, PermissionDenied, Unavailable …) without secrets in the message.</remarks>
    ValueTask<bool> HandleChallengeAsync(RegistryHost host, AuthScope scope, HttpResponseMessage response, CancellationToken cancellationToken);
}
