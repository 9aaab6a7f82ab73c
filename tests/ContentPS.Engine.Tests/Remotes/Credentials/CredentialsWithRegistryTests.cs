using System.Net;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Credentials;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Auth;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Credentials;

/// <summary>Credential providers feeding the authorizer against the real token-auth and htpasswd registries.</summary>
[Collection(RegistryCollection.Name)]
public sealed class CredentialsWithRegistryTests(SharedRegistry shared) : IDisposable
{
    private readonly CredentialFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(RegistryFlavor.Token)]
    [InlineData(RegistryFlavor.Htpasswd)]
    public async Task ADockerConfigLoginIsUsedForTheRegistryHostAndAskedOnce(RegistryFlavor flavor)
    {
        var registry = await shared.GetAsync(flavor);
        var path = _files.Write("config.json", $$$$"""
            {"auths":{"http://{{{{registry.Host}}}}":{"auth":"{{{{CredentialFiles.Auth(registry.Username!, registry.Password!)}}}}"}}}
            """);
        var provider = new CountingProvider(new DockerConfigCredentialProvider(path));
        var session = new AuthSession(registry, provider: provider);
        var repository = AuthSession.UniqueRepository("team/");

        var digest = await session.PushBlobAsync(repository, AuthSession.RandomBytes(512));
        using var pulled = await session.SendAsync(HttpMethod.Head, $"{repository}/blobs/{digest}", AuthScope.Pull(repository));

        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal([registry.Host], provider.Hosts);
    }

    [Fact]
    public async Task TheExplicitCredentialComesBeforeTheConfiguredOnes()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var path = _files.Write("config.json", $$$$"""
            {"auths":{"{{{{registry.Host}}}}":{"auth":"{{{{CredentialFiles.Auth(registry.Username!, "a-stale-password")}}}}"}}}
            """);
        var provider = new CountingProvider(new DockerConfigCredentialProvider(path));
        var session = new AuthSession(registry, AuthSession.UserOf(registry), provider: provider);
        var repository = AuthSession.UniqueRepository("team/");

        await session.PushBlobAsync(repository, AuthSession.RandomBytes(64));

        Assert.Empty(provider.Hosts);
    }

    [Fact]
    public async Task AnIdentityTokenFromAProviderIsExchangedWithTheRefreshGrant()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var refresh = registry.TokenServer!.IssueRefreshToken();
        var provider = new CountingProvider(new StaticCredentialProvider(new RegistryCredential(string.Empty, refresh)));
        var session = new AuthSession(registry, provider: provider);
        var repository = AuthSession.UniqueRepository("team/");
        int before = registry.TokenRequests.Count;

        await session.PushBlobAsync(repository, AuthSession.RandomBytes(64));

        Assert.Equal("refresh_token", Assert.Single(registry.TokenRequests.Skip(before), r => r.Names(repository)).GrantType);
    }

    private sealed class CountingProvider(ICredentialProvider inner) : ICredentialProvider
    {
        private readonly List<string> _hosts = [];

        public IReadOnlyList<string> Hosts
        {
            get
            {
                lock (_hosts) return _hosts.ToList();
            }
        }

        public ValueTask<RegistryCredential?> GetCredentialAsync(string host, CancellationToken cancellationToken)
        {
            lock (_hosts) _hosts.Add(host);
            return inner.GetCredentialAsync(host, cancellationToken);
        }
    }
}
