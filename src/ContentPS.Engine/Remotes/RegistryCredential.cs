namespace ContentPS.Engine.Remotes;

/// <summary>
/// A user name and secret for one registry. An empty <see cref="Username"/> with a secret is an
/// identity token (Docker's <c>identitytoken</c>: an OAuth2 refresh token). <see cref="ToString"/>
/// never shows the secret.
/// </summary>
public sealed class RegistryCredential
{
    public RegistryCredential(string username, string secret)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(secret);
        Username = username;
        Secret = secret;
    }

    public string Username { get; }

    /// <summary>The password, access token or identity token.</summary>
    public string Secret { get; }

    public bool IsIdentityToken => Username.Length == 0;

    public override string ToString() => IsIdentityToken ? "<identity token>" : $"{Username}:<secret>";
}

/// <summary>Finds the credential for a registry host (explicit, Docker config, credential helpers, auth.json).</summary>
public interface ICredentialProvider
{
    /// <summary>The credential for <paramref name="host"/> (host[:port] as requests go to it, e.g. <c>registry-1.docker.io</c>), or null for anonymous access.</summary>
    ValueTask<RegistryCredential?> GetCredentialAsync(string host, CancellationToken cancellationToken);
}
