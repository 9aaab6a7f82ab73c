namespace ContentPS.Engine.Remotes.Auth;

/// <summary>One token to ask for: where, for which service and scopes, with which credential (null: anonymous), for which registry host (messages only).</summary>
internal sealed record TokenFetch(Uri Realm, string? Service, AuthScope Scope, RegistryCredential? Credential, string RegistryHost);
