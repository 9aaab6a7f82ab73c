namespace ContentPS.Engine.Remotes.Credentials;

/// <summary>
/// Finds a host's credential in one <see cref="AuthFile"/>: its <c>credHelpers</c> entry first, then
/// an <c>auths</c> entry that holds a credential (the best-matching key), then the <c>credsStore</c>.
/// Inline credentials come before the store because a file that holds them was written to be used
/// (Docker itself would ignore them while a store is set).
/// </summary>
internal static class AuthFileLookup
{
    public static async Task<RegistryCredential?> FindAsync(AuthFile file, string host, DockerCredentialHelper helpers, CancellationToken cancellationToken)
    {
        var registry = RegistryKeys.Normalize(host);
        var helper = file.CredHelpers
            .Where(h => RegistryKeys.RegistryOf(h.Key) == registry && h.Value.Length > 0)
            .OrderBy(h => RegistryKeys.Rank(h.Key, host))
            .Select(h => h.Value)
            .FirstOrDefault();
        if (helper is not null && await helpers.GetAsync(helper, RegistryKeys.ServerUrlFor(host), cancellationToken).ConfigureAwait(false) is { } fromHelper)
        {
            return fromHelper;
        }

        var inline = file.Auths
            .Where(e => RegistryKeys.RegistryOf(e.Key) == registry)
            .OrderBy(e => RegistryKeys.Rank(e.Key, host))
            .Select(e => e.ToCredential(file.Path))
            .FirstOrDefault(c => c is not null);
        if (inline is not null)
        {
            return inline;
        }

        return string.IsNullOrEmpty(file.CredsStore)
            ? null
            : await helpers.GetAsync(file.CredsStore, RegistryKeys.ServerUrlFor(host), cancellationToken).ConfigureAwait(false);
    }
}
