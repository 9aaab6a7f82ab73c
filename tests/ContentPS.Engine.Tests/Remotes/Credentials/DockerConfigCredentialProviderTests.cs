using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Credentials;

namespace ContentPS.Engine.Tests.Remotes.Credentials;

public sealed class DockerConfigCredentialProviderTests : IDisposable
{
    private readonly CredentialFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task AnAuthValueIsDecodedAndThePasswordMayHoldColons()
    {
        var provider = Provider($$$$"""{"auths":{"registry.example:5000":{"auth":"{{{{CredentialFiles.Auth("alice", "pa:ss:word")}}}}"}}}""");

        var credential = await provider.GetCredentialAsync("registry.example:5000", default);

        Assert.Equal(("alice", "pa:ss:word", false), (credential!.Username, credential.Secret, credential.IsIdentityToken));
    }

    [Fact]
    public async Task UsernameAndPasswordFieldsAreUsedWithoutAuth()
    {
        var provider = Provider("""{"auths":{"registry.example":{"username":"bob","password":"secret-b"}}}""");

        var credential = await provider.GetCredentialAsync("registry.example", default);

        Assert.Equal(("bob", "secret-b"), (credential!.Username, credential.Secret));
    }

    [Fact]
    public async Task AnIdentityTokenIsACredentialWithoutUsername()
    {
        var provider = Provider($$$$"""{"auths":{"registry.example":{"auth":"{{{{CredentialFiles.Auth("carol", "pw")}}}}","identitytoken":"refresh-123"}}}""");

        var credential = await provider.GetCredentialAsync("registry.example", default);

        Assert.True(credential!.IsIdentityToken);
        Assert.Equal("refresh-123", credential.Secret);
    }

    [Theory]
    [InlineData("registry.example")]
    [InlineData("https://registry.example")]
    [InlineData("http://registry.example")]
    [InlineData("https://registry.example/v1/")]
    [InlineData("https://registry.example/v2/")]
    [InlineData("REGISTRY.example")]
    public async Task EveryKeySpellingOfTheHostMatches(string key)
    {
        var provider = Provider($$$$"""{"auths":{"{{{{key}}}}":{"auth":"{{{{CredentialFiles.Auth("dave", "pw-d")}}}}"}}}""");

        Assert.Equal("dave", (await provider.GetCredentialAsync("registry.example", default))?.Username);
        Assert.Null(await provider.GetCredentialAsync("registry.example:5000", default));
        Assert.Null(await provider.GetCredentialAsync("other.example", default));
    }

    [Theory]
    [InlineData("docker.io")]
    [InlineData("index.docker.io")]
    [InlineData("registry-1.docker.io")]
    public async Task AllDockerHubHostsFindTheDockerLoginEntry(string host)
    {
        var provider = Provider($$$$"""{"auths":{"https://index.docker.io/v1/":{"auth":"{{{{CredentialFiles.Auth("hubby", "pw-h")}}}}"}}}""");

        Assert.Equal("hubby", (await provider.GetCredentialAsync(host, default))?.Username);
    }

    [Fact]
    public async Task TheExactHostKeyWinsOverAUrlKey()
    {
        var provider = Provider($$$$"""
            {"auths":{
              "https://registry.example":{"auth":"{{{{CredentialFiles.Auth("url-user", "a")}}}}"},
              "registry.example":{"auth":"{{{{CredentialFiles.Auth("host-user", "b")}}}}"},
              "http://registry.example":{"auth":"{{{{CredentialFiles.Auth("http-user", "c")}}}}"}}}
            """);

        Assert.Equal("host-user", (await provider.GetCredentialAsync("registry.example", default))?.Username);
    }

    [Fact]
    public async Task AnEmptyEntryWithoutAStoreMeansNoCredential()
    {
        var provider = Provider("""{"auths":{"registry.example":{}}}""");

        Assert.Null(await provider.GetCredentialAsync("registry.example", default));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n")]
    public async Task AMissingOrEmptyFileMeansNoCredential(string? content)
    {
        var path = content is null ? _files.Missing("nothing/config.json") : _files.Write("config.json", content);

        Assert.Null(await new DockerConfigCredentialProvider(path).GetCredentialAsync("registry.example", default));
    }

    [Theory]
    [InlineData("{\"auths\":")]
    [InlineData("[]")]
    [InlineData("{\"auths\":5}")]
    [InlineData("{\"auths\":{\"registry.example\":\"c2VjcmV0LXZhbHVl\"}}")]
    [InlineData("{\"auths\":{\"registry.example\":{\"auth\":\"!!c2VjcmV0LXZhbHVl!!\"}}}")]
    [InlineData("{\"auths\":{\"registry.example\":{\"auth\":\"c2VjcmV0LXZhbHVl\"}}}")]
    [InlineData("{\"auths\":{\"registry.example\":{\"password\":[\"secret-value\"]}}}")]
    [InlineData("{\"credHelpers\":{\"registry.example\":7}}")]
    public async Task AMalformedFileIsAnInvalidArgumentNamingTheFileAndNoSecret(string content)
    {
        var path = _files.Write("config.json", content);

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            new DockerConfigCredentialProvider(path).GetCredentialAsync("registry.example", default).AsTask());

        Assert.Equal(ErrorIds.InvalidCredentialConfig, error.ErrorId);
        Assert.Equal(path, error.Target);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LXZhbHVl", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACredHelperForTheHostIsAskedWithTheHost()
    {
        var provider = Provider("""{"credHelpers":{"helped.example:5000":"test"},"auths":{}}""");

        var credential = await provider.GetCredentialAsync("helped.example:5000", default);

        Assert.Equal(("helper-user", "helper-secret"), (credential!.Username, credential.Secret));
        Assert.Equal(["get helped.example:5000"], _files.HelperCalls);
    }

    [Fact]
    public async Task TheCredsStoreIsAskedWithDockerHubsServerUrl()
    {
        var provider = Provider("""{"credsStore":"test","auths":{"https://index.docker.io/v1/":{}}}""");

        var credential = await provider.GetCredentialAsync("registry-1.docker.io", default);

        Assert.Equal(("hubuser", "hub-secret"), (credential!.Username, credential.Secret));
        Assert.Equal(["get https://index.docker.io/v1/"], _files.HelperCalls);
    }

    [Fact]
    public async Task AHelpersTokenUsernameMeansAnIdentityToken()
    {
        var provider = Provider("""{"credsStore":"test"}""");

        var credential = await provider.GetCredentialAsync("identity.example", default);

        Assert.Equal(("", "identity-from-helper", true), (credential!.Username, credential.Secret, credential.IsIdentityToken));
    }

    [Theory]
    [InlineData("unknown.example")]
    [InlineData("empty.example")]
    public async Task CredentialsNotFoundIsAnAnswerNotAnError(string host)
    {
        var provider = Provider("""{"credsStore":"test"}""");

        Assert.Null(await provider.GetCredentialAsync(host, default));
        Assert.Equal([$"get {host}"], _files.HelperCalls);
    }

    [Fact]
    public async Task InlineCredentialsComeBeforeTheStore()
    {
        var provider = Provider($$$$"""{"credsStore":"test","auths":{"store.example":{"auth":"{{{{CredentialFiles.Auth("inline", "pw")}}}}"}}}""");

        Assert.Equal("inline", (await provider.GetCredentialAsync("store.example", default))?.Username);
        Assert.Empty(_files.HelperCalls);
    }

    [Fact]
    public async Task AMissingHelperSaysWhichAndWhereItWasConfigured()
    {
        var provider = Provider("""{"credHelpers":{"registry.example":"nothere"}}""");

        var error = await Assert.ThrowsAsync<NotFoundException>(() => provider.GetCredentialAsync("registry.example", default).AsTask());

        Assert.Equal(ErrorIds.CredentialHelperNotFound, error.ErrorId);
        Assert.Contains("docker-credential-nothere", error.Message, StringComparison.Ordinal);
        Assert.Contains("registry.example", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingHelperIsUnavailableWithItsMessage()
    {
        var provider = Provider("""{"credsStore":"test"}""");

        var error = await Assert.ThrowsAsync<UnavailableException>(() => provider.GetCredentialAsync("broken.example", default).AsTask());

        Assert.Equal(ErrorIds.CredentialHelperFailed, error.ErrorId);
        Assert.Contains("the keychain is locked", error.Message, StringComparison.Ordinal);
        Assert.Contains("exited with 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHelperAnswerThatIsNotJsonIsNeverQuoted()
    {
        var provider = Provider("""{"credsStore":"test"}""");

        var error = await Assert.ThrowsAsync<UnavailableException>(() => provider.GetCredentialAsync("notjson.example", default).AsTask());

        Assert.Equal(ErrorIds.CredentialHelperFailed, error.ErrorId);
        Assert.DoesNotContain("leaky-value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHelperThatHangsIsStoppedAfterTheTimeout()
    {
        var path = _files.Write("config.json", """{"credsStore":"test"}""");
        var provider = new DockerConfigCredentialProvider(path, new DockerCredentialHelper(_files.HelperDirectory, TimeSpan.FromMilliseconds(500)));

        var error = await Assert.ThrowsAsync<UnavailableException>(() => provider.GetCredentialAsync("slow.example", default).AsTask());

        Assert.Equal(ErrorIds.CredentialHelperFailed, error.ErrorId);
        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingStopsTheHelperAndThrowsOperationCanceled()
    {
        var provider = Provider("""{"credsStore":"test"}""");
        using var cancel = new CancellationTokenSource();
        var lookup = provider.GetCredentialAsync("slow.example", cancel.Token).AsTask();
        while (!_files.HelperCalls.Contains("get slow.example"))
        {
            await Task.Delay(20);
        }

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lookup);
    }

    private DockerConfigCredentialProvider Provider(string json) =>
        new(_files.Write("config.json", json), new DockerCredentialHelper(_files.HelperDirectory));
}
