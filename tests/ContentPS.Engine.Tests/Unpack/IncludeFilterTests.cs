using ContentPS.Engine.Unpack;

namespace ContentPS.Engine.Tests.Unpack;

public sealed class IncludeFilterTests
{
    [Theory]
    [InlineData("/etc/ssl/**", "etc/ssl", true)]
    [InlineData("/etc/ssl/**", "etc/ssl/certs/ca.pem", true)]
    [InlineData("/etc/ssl/**", "etc/sslx/file", false)]
    [InlineData("/etc/ssl/**", "etc", false)]
    [InlineData("etc/ssl", "etc/ssl/certs/ca.pem", true)]
    [InlineData("usr/bin/tool", "usr/bin/tool", true)]
    [InlineData("usr/bin/tool", "usr/bin/tool2", false)]
    [InlineData("usr/bin/t*l", "usr/bin/tool", true)]
    [InlineData("usr/bin/t*l", "usr/bin/tools", false)]
    [InlineData("usr/bin/t?ol", "usr/bin/tool", true)]
    [InlineData("usr/*/tool", "usr/local/tool", true)]
    [InlineData("usr/*/tool", "usr/local/bin/tool", false)]
    [InlineData("**/*.pem", "etc/ssl/certs/ca.pem", true)]
    [InlineData("**/*.pem", "ca.pem", true)]
    [InlineData("**/*.pem", "etc/ssl/certs/ca.crt", false)]
    [InlineData("./etc//hosts", "etc/hosts", true)]
    [InlineData("/", "anything/at/all", true)]
    public void PatternsMatchEntriesAndTheirSubtrees(string pattern, string path, bool included)
    {
        Assert.Equal(included, new IncludeFilter([pattern]).Includes(path.Split('/')));
    }

    [Fact]
    public void NoPatternIncludesEverythingAndAnyOfSeveralPatternsIsEnough()
    {
        Assert.True(new IncludeFilter([]).IsEverything);
        var filter = new IncludeFilter(["etc/hosts", "usr/bin/**"]);
        Assert.False(filter.IsEverything);
        Assert.True(filter.Includes(["usr", "bin", "sh"]));
        Assert.True(filter.Includes(["etc", "hosts"]));
        Assert.False(filter.Includes(["etc", "passwd"]));
    }
}
