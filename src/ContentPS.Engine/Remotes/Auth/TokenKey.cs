namespace ContentPS.Engine.Remotes.Auth;

/// <summary>What a cached token is for: one realm, service and set of scopes (sorted, so equal sets share a token).</summary>
internal sealed record TokenKey(string Realm, string Service, string Scope)
{
    public static TokenKey For(Uri realm, string? service, AuthScope scope) => new(realm.AbsoluteUri, service ?? string.Empty, scope.ToString());
}
