namespace ContentPS.TestFixtures;

/// <summary>How a fixture registry authenticates clients.</summary>
public enum RegistryFlavor
{
    /// <summary>No authentication: every request is allowed.</summary>
    Plain,

    /// <summary>HTTP basic authentication against a bcrypt htpasswd file with one generated user.</summary>
    Htpasswd,
}
