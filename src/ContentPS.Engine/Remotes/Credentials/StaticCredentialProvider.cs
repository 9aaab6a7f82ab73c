namespace ContentPS.Engine.Remotes.Credentials;

/// <summary>One credential for every host (<c>-Credential</c>).</summary>
public sealed class StaticCredentialProvider : ICredentialProvider
{
    private readonly RegistryCredential _credential;

    public StaticCredentialProvider(RegistryCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _credential = credential;
    }

    public ValueTask<RegistryCredential?> GetCredentialAsync(string host, CancellationToken cancellationToken) =>
        ValueTask.FromResult<RegistryCredential?>(_credential);
}
