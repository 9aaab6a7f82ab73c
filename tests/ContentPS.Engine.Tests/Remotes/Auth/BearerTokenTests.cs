using System.Text;
using ContentPS.Engine.Remotes.Auth;

namespace ContentPS.Engine.Tests.Remotes.Auth;

public sealed class BearerTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void TokenWinsAndTheDefaultLifetimeIsSixtySeconds()
    {
        var token = Parse("{\"token\":\"t1\",\"access_token\":\"t2\"}");

        Assert.Equal("t1", token!.Value);
        Assert.Equal(Now.AddSeconds(60), token.ExpiresAt);
        Assert.True(token.IsFresh(Now.AddSeconds(53)));
        Assert.False(token.IsFresh(Now.AddSeconds(54)));
    }

    [Fact]
    public void AccessTokenAndRefreshTokenAreRead()
    {
        var token = Parse("{\"access_token\":\"a\",\"expires_in\":300,\"refresh_token\":\"r\"}");

        Assert.Equal(("a", "r"), (token!.Value, token.RefreshToken));
        Assert.Equal(Now.AddSeconds(300), token.ExpiresAt);
        Assert.Equal(Now.AddSeconds(290), token.RenewAt);
    }

    [Fact]
    public void IssuedAtShortlyBeforeReceiptCountsFromIssue()
    {
        var token = Parse($"{{\"token\":\"t\",\"expires_in\":120,\"issued_at\":\"{Now.AddSeconds(-20):yyyy-MM-ddTHH:mm:ssZ}\"}}");

        Assert.Equal(Now.AddSeconds(100), token!.ExpiresAt);
    }

    [Theory]
    [InlineData(3600)]
    [InlineData(-3600)]
    public void ASkewedIssuedAtIsIgnored(int skewSeconds)
    {
        var token = Parse($"{{\"token\":\"t\",\"expires_in\":120,\"issued_at\":\"{Now.AddSeconds(skewSeconds):O}\"}}");

        Assert.Equal(Now.AddSeconds(120), token!.ExpiresAt);
    }

    [Theory]
    [InlineData("{\"expires_in\":0,\"token\":\"t\"}", 60)]
    [InlineData("{\"expires_in\":\"300\",\"token\":\"t\"}", 60)]
    [InlineData("{\"expires_in\":-5,\"token\":\"t\"}", 60)]
    public void AnUnusableExpiresInMeansTheDefault(string json, int seconds)
    {
        Assert.Equal(Now.AddSeconds(seconds), Parse(json)!.ExpiresAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"token\":\"\"}")]
    [InlineData("{\"token\":42}")]
    public void AnAnswerWithoutATokenGivesNull(string json)
    {
        Assert.Null(Parse(json));
    }

    [Fact]
    public void ToStringNeverShowsTheToken()
    {
        var token = Parse("{\"token\":\"very-secret-token\"}");

        Assert.DoesNotContain("very-secret-token", token!.ToString(), StringComparison.Ordinal);
    }

    private static BearerToken? Parse(string json) => BearerToken.Parse(Encoding.UTF8.GetBytes(json), Now);
}
