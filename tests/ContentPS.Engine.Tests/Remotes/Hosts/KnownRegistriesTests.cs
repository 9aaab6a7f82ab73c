using ContentPS.Engine.Remotes.Hosts;
using ContentPS.Engine.Tests.Fixtures;

namespace ContentPS.Engine.Tests.Remotes.Hosts;

/// <summary>Registry names from hosts folders, Docker's config.json and containers' auth.json, normalized.</summary>
public sealed class KnownRegistriesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("index.docker.io", "docker.io")]
    [InlineData("registry-1.docker.io", "docker.io")]
    [InlineData("docker.io", "docker.io")]
    [InlineData("GHCR.io", "ghcr.io")]
    [InlineData("quay.io/org/repo", "quay.io")]
    [InlineData("http://localhost:5000/v2/", "localhost:5000")]
    [InlineData("https://", null)]
    [InlineData("  ", null)]
    public void KeysAreReducedToTheirRegistry(string key, string? expected) => Assert.Equal(expected, KnownRegistries.Normalize(key));

    [Fact]
    public void NamesComeFromEverySourceSortedAndOnce()
    {
        var roots = new[] { _temp.Combine("user"), _temp.Combine("system"), _temp.Combine("missing") };
        WriteHosts(roots[0], "127.0.0.1_5000_");
        WriteHosts(roots[0], "_default");
        WriteHosts(roots[1], "mirror.example");
        WriteHosts(roots[1], "docker.io");
        Directory.CreateDirectory(Path.Combine(roots[1], "certs-only.example"));
        var docker = Write("docker/config.json", """
            {"auths": {"https://index.docker.io/v1/": {"auth": "eDp5"}, "ghcr.io": {}},
             "credHelpers": {"123456789012.dkr.ecr.us-east-1.amazonaws.com": "ecr-login"},
             "credsStore": "desktop"}
            """);
        var containers = Write("containers/auth.json", """{"auths": {"quay.io/org": {"auth": "eDp5"}, "localhost:5000": {}}}""");
        var broken = Write("broken/auth.json", """{"auths": {"never.example": """);

        var names = KnownRegistries.List(roots, docker, [containers, broken, _temp.Combine("absent.json")]);

        Assert.Equal(
            ["123456789012.dkr.ecr.us-east-1.amazonaws.com", "127.0.0.1:5000", "docker.io", "ghcr.io", "localhost:5000", "mirror.example", "quay.io"],
            names);
    }

    [Fact]
    public void NothingConfiguredIsAnEmptyList() =>
        Assert.Empty(KnownRegistries.List([_temp.Combine("none")], _temp.Combine("none/config.json"), []));

    private void WriteHosts(string root, string folder)
    {
        Directory.CreateDirectory(Path.Combine(root, folder));
        File.WriteAllText(Path.Combine(root, folder, HostsDirectories.FileName), "");
    }

    private string Write(string relative, string text)
    {
        var path = _temp.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
