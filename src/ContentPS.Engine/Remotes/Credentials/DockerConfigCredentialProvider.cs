namespace ContentPS.Engine.Remotes.Credentials;

/// <summary>Credentials from Docker's <c>config.json</c>: <c>credHelpers</c>, <c>auths</c>, <c>credsStore</c> (see <see cref="AuthFileLookup"/>).</summary>
public sealed class DockerConfigCredentialProvider : ICredentialProvider
{
    private readonly DockerCredentialHelper _helpers;

    /// <param name="configPath">The config.json to read (a missing file means no credentials).</param>
    /// <param name="helpers">Runs credential helpers; null: helpers on PATH with the default timeout.</param>
    public DockerConfigCredentialProvider(string configPath, DockerCredentialHelper? helpers = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        ConfigPath = configPath;
        _helpers = helpers ?? new DockerCredentialHelper();
    }

    public string ConfigPath { get; }

    /// <summary><c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>.</summary>
    public static string DefaultConfigPath()
    {
        var directory = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(directory))
        {
            directory = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        }

        return Path.Combine(directory, "config.json");
    }

    public async ValueTask<RegistryCredential?> GetCredentialAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        return AuthFile.Load(ConfigPath) is { } file
            ? await AuthFileLookup.FindAsync(file, host, _helpers, cancellationToken).ConfigureAwait(false)
            : null;
    }
}
