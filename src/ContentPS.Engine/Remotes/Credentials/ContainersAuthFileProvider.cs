namespace ContentPS.Engine.Remotes.Credentials;

/// <summary>
/// Credentials from the containers tools' <c>auth.json</c> (podman, skopeo, buildah): the first file
/// of <see cref="Paths"/> that has one wins. Keys naming a repository (<c>quay.io/team/app</c>)
/// are for that repository only and are not used for the whole host.
/// </summary>
public sealed class ContainersAuthFileProvider : ICredentialProvider
{
    private readonly DockerCredentialHelper _helpers;

    public ContainersAuthFileProvider(IReadOnlyList<string> paths, DockerCredentialHelper? helpers = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Paths = paths.ToArray();
        _helpers = helpers ?? new DockerCredentialHelper();
    }

    public IReadOnlyList<string> Paths { get; }

    /// <summary>
    /// <c>$REGISTRY_AUTH_FILE</c> alone when it is set; otherwise
    /// <c>$XDG_RUNTIME_DIR/containers/auth.json</c> (when XDG_RUNTIME_DIR is set) and
    /// <c>~/.config/containers/auth.json</c>.
    /// </summary>
    public static IReadOnlyList<string> DefaultPaths()
    {
        var explicitFile = Environment.GetEnvironmentVariable("REGISTRY_AUTH_FILE");
        if (!string.IsNullOrEmpty(explicitFile))
        {
            return [explicitFile];
        }

        var paths = new List<string>();
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtime))
        {
            paths.Add(Path.Combine(runtime, "containers", "auth.json"));
        }

        paths.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "containers", "auth.json"));
        return paths;
    }

    public async ValueTask<RegistryCredential?> GetCredentialAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        foreach (var path in Paths)
        {
            if (AuthFile.Load(path) is { } file
                && await AuthFileLookup.FindAsync(file, host, _helpers, cancellationToken).ConfigureAwait(false) is { } credential)
            {
                return credential;
            }
        }

        return null;
    }
}
