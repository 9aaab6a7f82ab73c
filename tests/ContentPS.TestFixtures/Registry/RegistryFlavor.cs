namespace ContentPS.TestFixtures;

/// <summary>How a fixture registry authenticates clients.</summary>
public enum RegistryFlavor
{
    /// <summary>No authentication: every request is allowed.</summary>
    Plain,

    /// <summary>HTTP basic authentication against a bcrypt htpasswd file with one generated user.</summary>
    Htpasswd,

    /// <summary>
    /// Bearer tokens (<c>auth: token</c>) from the fixture's own token server: the user
    /// (<c>testuser</c>, generated password) may pull, push and delete everywhere; anonymous
    /// clients may pull repositories under <c>public/</c>.
    /// </summary>
    Token,
}
