namespace ContentPS.TestFixtures;

/// <summary>One request the fixture token server answered, for tests that assert the auth flow.</summary>
/// <param name="Method">GET or POST.</param>
/// <param name="GrantType">The OAuth2 <c>grant_type</c> of a POST (<c>password</c>, <c>refresh_token</c>); null for GET.</param>
/// <param name="Scopes">The scopes asked, one entry per <c>type:name:actions</c>.</param>
/// <param name="Service">The <c>service</c> parameter.</param>
/// <param name="BasicPresented">True when the request carried <c>Authorization: Basic</c>.</param>
/// <param name="ClientId">The <c>client_id</c> of a POST.</param>
/// <param name="OfflineRequested">True when a refresh token was asked for (<c>offline_token=true</c> or <c>access_type=offline</c>).</param>
/// <param name="AuthenticatedUser">The user the request proved to be, or null (anonymous or refused).</param>
/// <param name="Status">The status the server answered.</param>
public sealed record TokenRequestRecord(
    string Method,
    string? GrantType,
    IReadOnlyList<string> Scopes,
    string? Service,
    bool BasicPresented,
    string? ClientId,
    bool OfflineRequested,
    string? AuthenticatedUser,
    int Status)
{
    /// <summary>True when any scope names <paramref name="repository"/> (<c>repository:&lt;name&gt;:…</c>).</summary>
    public bool Names(string repository) => Scopes.Any(s => s.StartsWith($"repository:{repository}:", StringComparison.Ordinal));
}
