namespace ContentPS.Engine.Remotes.Credentials;

/// <summary>Asks providers in order; the first credential found wins. An error of one provider is not skipped: it is thrown.</summary>
public sealed class ChainCredentialProvider : ICredentialProvider
{
    private readonly ICredentialProvider[] _providers;

    public ChainCredentialProvider(params ICredentialProvider[] providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = providers.ToArray();
        if (_providers.Any(p => p is null))
        {
            throw new ArgumentException("A provider of the chain is null.", nameof(providers));
        }
    }

    public IReadOnlyList<ICredentialProvider> Providers => _providers;

    public async ValueTask<RegistryCredential?> GetCredentialAsync(string host, CancellationToken cancellationToken)
    {
        foreach (var provider in _providers)
        {
            if (await provider.GetCredentialAsync(host, cancellationToken).ConfigureAwait(false) is { } credential)
            {
                return credential;
            }
        }

        return null;
    }
}
