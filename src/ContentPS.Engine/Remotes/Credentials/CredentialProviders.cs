namespace ContentPS.Engine.Remotes.Credentials;

/// <summary>The credential sources a registry client uses when the caller names none.</summary>
public static class CredentialProviders
{
    /// <summary>
    /// Docker's config.json (<see cref="DockerConfigCredentialProvider.DefaultConfigPath"/>), then the
    /// containers auth.json files (<see cref="ContainersAuthFileProvider.DefaultPaths"/>). Paths are
    /// read from the environment now; the files are read at each lookup, so a <c>docker login</c>
    /// made meanwhile counts.
    /// </summary>
    public static ICredentialProvider CreateDefault()
    {
        var helpers = new DockerCredentialHelper();
        return new ChainCredentialProvider(
            new DockerConfigCredentialProvider(DockerConfigCredentialProvider.DefaultConfigPath(), helpers),
            new ContainersAuthFileProvider(ContainersAuthFileProvider.DefaultPaths(), helpers));
    }
}
