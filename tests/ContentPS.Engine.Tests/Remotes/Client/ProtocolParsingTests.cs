using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes.Client;

namespace ContentPS.Engine.Tests.Remotes.Client;

public sealed class ProtocolParsingTests
{
    private static readonly Uri Request = new("http://registry.example:5000/v2/team/app/tags/list?n=2");

    [Theory]
    [InlineData("</v2/team/app/tags/list?n=2&last=b>; rel=\"next\"", "http://registry.example:5000/v2/team/app/tags/list?n=2&last=b")]
    [InlineData("<https://cdn.example/page/2>; rel=next", "https://cdn.example/page/2")]
    [InlineData("<page?last=c>;rel=\"next\"", "http://registry.example:5000/v2/team/app/tags/page?last=c")]
    [InlineData("<http://a.example/first>; rel=\"prev\", <http://a.example/2>; title=\"a, b\"; rel=\"last next\"", "http://a.example/2")]
    [InlineData("<http://a.example/2>; REL=\"Next\"", "http://a.example/2")]
    public void TheNextLinkIsFoundAndResolved(string header, string expected)
    {
        Assert.Equal(new Uri(expected), LinkHeader.FindNext([header], Request));
    }

    [Theory]
    [InlineData("</v2/team/app/tags/list?last=b>; rel=\"prev\"")]
    [InlineData("<ftp://a.example/2>; rel=\"next\"")]
    [InlineData("no link at all")]
    [InlineData("<unterminated; rel=\"next\"")]
    [InlineData("")]
    public void NoNextLinkIsNull(string header)
    {
        Assert.Null(LinkHeader.FindNext([header], Request));
    }

    [Fact]
    public void TheFirstNextLinkOfSeveralHeadersWins()
    {
        Assert.Equal(new Uri("http://a.example/1"), LinkHeader.FindNext(["<http://a.example/0>; rel=\"prev\"", "<http://a.example/1>; rel=\"next\""], Request));
    }

    [Fact]
    public void MountSourcesAreTheSameRegistrysOtherRepositories()
    {
        var repository = ImageReference.Parse("registry.example:5000/team/app");

        var sources = MountSources.SameRegistry(
            ["team/base", "registry.example:5000/team/tools", "other.example/team/base", "team/app", "team/base", "Not Valid", "", "localhost/x/y"],
            repository);

        Assert.Equal(["team/base", "team/tools"], sources);
    }

    [Fact]
    public void DockerHubMountSourcesAreNormalized()
    {
        var repository = ImageReference.Parse("docker.io/team/app");

        Assert.Equal(["library/ubuntu", "team/base"], MountSources.SameRegistry(["ubuntu", "docker.io/team/base", "index.docker.io/team/app"], repository));
    }

    [Fact]
    public void TheReferrersTagIsAlgorithmDashHexCutTo64()
    {
        var sha256 = Digest.FromBytes("subject"u8);
        var sha512 = Digest.FromBytes("subject"u8, Digest.Sha512);

        Assert.Equal($"sha256-{sha256.Encoded}", ReferrersTag.For(sha256));
        Assert.Equal($"sha512-{sha512.Encoded[..64]}", ReferrersTag.For(sha512));
        Assert.True(ReferrersTag.For(sha512).Length <= 128);
    }
}
