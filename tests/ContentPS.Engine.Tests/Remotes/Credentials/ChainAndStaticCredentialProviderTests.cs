using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Credentials;

namespace ContentPS.Engine.Tests.Remotes.Credentials;

public sealed class ChainAndStaticCredentialProviderTests
{
    [Fact]
    public async Task TheStaticCredentialIsGivenForEveryHost()
    {
        var credential = new RegistryCredential("u", "p");
        var provider = new StaticCredentialProvider(credential);

        Assert.Same(credential, await provider.GetCredentialAsync("a.example", default));
        Assert.Same(credential, await provider.GetCredentialAsync("docker.io", default));
    }

    [Fact]
    public async Task TheChainReturnsTheFirstCredentialAndAsksNoFurther()
    {
        var empty = new CountingProvider(null);
        var found = new CountingProvider(new RegistryCredential("second", "p"));
        var never = new CountingProvider(new RegistryCredential("third", "p"));
        var chain = new ChainCredentialProvider(empty, found, never);

        Assert.Equal("second", (await chain.GetCredentialAsync("h", default))?.Username);
        Assert.Equal((1, 1, 0), (empty.Calls, found.Calls, never.Calls));
    }

    [Fact]
    public async Task AChainOfNothingFindsNothing()
    {
        Assert.Null(await new ChainCredentialProvider().GetCredentialAsync("h", default));
        Assert.Null(await new ChainCredentialProvider(new CountingProvider(null)).GetCredentialAsync("h", default));
    }

    [Fact]
    public async Task AnErrorOfAProviderIsNotSkipped()
    {
        var chain = new ChainCredentialProvider(new FailingProvider(), new CountingProvider(new RegistryCredential("u", "p")));

        await Assert.ThrowsAsync<UnavailableException>(() => chain.GetCredentialAsync("h", default).AsTask());
    }

    [Fact]
    public void TheDefaultChainReadsDockerThenContainersFiles()
    {
        var chain = Assert.IsType<ChainCredentialProvider>(CredentialProviders.CreateDefault());

        Assert.Collection(chain.Providers,
            p => Assert.Equal(DockerConfigCredentialProvider.DefaultConfigPath(), Assert.IsType<DockerConfigCredentialProvider>(p).ConfigPath),
            p => Assert.Equal(ContainersAuthFileProvider.DefaultPaths(), Assert.IsType<ContainersAuthFileProvider>(p).Paths));
    }

    [Fact]
    public void ACredentialNeverShowsItsSecret()
    {
        Assert.Equal("u:<secret>", new RegistryCredential("u", "hidden").ToString());
        Assert.Equal("<identity token>", new RegistryCredential(string.Empty, "hidden").ToString());
    }

    private sealed class CountingProvider(RegistryCredential? credential) : ICredentialProvider
    {
        public int Calls { get; private set; }

        public ValueTask<RegistryCredential?> GetCredentialAsync(string host, CancellationToken cancellationToken)
        {
            Calls++;
            return ValueTask.FromResult(credential);
        }
    }

    private sealed class FailingProvider : ICredentialProvider
    {
        public ValueTask<RegistryCredential?> GetCredentialAsync(string host, CancellationToken cancellationToken) =>
            throw Errors.New(ErrorClass.Unavailable, "helper down", ErrorIds.CredentialHelperFailed);
    }
}
