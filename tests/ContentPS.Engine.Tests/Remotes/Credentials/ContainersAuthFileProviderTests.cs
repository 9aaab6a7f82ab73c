using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Remotes.Credentials;

namespace ContentPS.Engine.Tests.Remotes.Credentials;

public sealed class ContainersAuthFileProviderTests : IDisposable
{
    private readonly CredentialFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task TheFirstFileThatHasTheHostWins()
    {
        var first = _files.Write("run/containers/auth.json", $$$$"""{"auths":{"quay.example":{"auth":"{{{{CredentialFiles.Auth("runtime", "a")}}}}"}}}""");
        var second = _files.Write("config/containers/auth.json", $$$$"""
            {"auths":{"quay.example":{"auth":"{{{{CredentialFiles.Auth("config", "b")}}}}"},
                      "ghcr.example":{"auth":"{{{{CredentialFiles.Auth("config-ghcr", "c")}}}}"}}}
            """);
        var provider = new ContainersAuthFileProvider([_files.Missing("none/auth.json"), first, second]);

        Assert.Equal("runtime", (await provider.GetCredentialAsync("quay.example", default))?.Username);
        Assert.Equal("config-ghcr", (await provider.GetCredentialAsync("ghcr.example", default))?.Username);
        Assert.Null(await provider.GetCredentialAsync("other.example", default));
    }

    [Fact]
    public async Task ARepositoryScopedKeyIsNotUsedForTheWholeHost()
    {
        var path = _files.Write("auth.json", $$$$"""
            {"auths":{"quay.example/team/app":{"auth":"{{{{CredentialFiles.Auth("repo-only", "a")}}}}"}}}
            """);
        var provider = new ContainersAuthFileProvider([path]);

        Assert.Null(await provider.GetCredentialAsync("quay.example", default));
    }

    [Fact]
    public async Task ACredHelperOfTheAuthFileIsRun()
    {
        var path = _files.Write("auth.json", """{"credHelpers":{"helped.example:5000":"test"}}""");
        var provider = new ContainersAuthFileProvider([path], new DockerCredentialHelper(_files.HelperDirectory));

        Assert.Equal("helper-user", (await provider.GetCredentialAsync("helped.example:5000", default))?.Username);
    }

    [Fact]
    public async Task AMalformedFileStopsTheLookupWithItsPath()
    {
        var broken = _files.Write("auth.json", "{ not json");
        var good = _files.Write("other.json", $$$$"""{"auths":{"quay.example":{"auth":"{{{{CredentialFiles.Auth("u", "p")}}}}"}}}""");
        var provider = new ContainersAuthFileProvider([broken, good]);

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => provider.GetCredentialAsync("quay.example", default).AsTask());

        Assert.Equal((ErrorIds.InvalidCredentialConfig, (object?)broken), (error.ErrorId, error.Target));
    }
}
