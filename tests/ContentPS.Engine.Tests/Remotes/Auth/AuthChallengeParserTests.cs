using ContentPS.Engine.Remotes.Auth;

namespace ContentPS.Engine.Tests.Remotes.Auth;

public sealed class AuthChallengeParserTests
{
    [Fact]
    public void DistributionsBearerChallengeIsRead()
    {
        var challenge = Assert.Single(AuthChallengeParser.Parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/ubuntu:pull\",error=\"insufficient_scope\""));

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal("repository:library/ubuntu:pull", challenge.Scope);
        Assert.True(challenge.IsInsufficientScope);
    }

    [Fact]
    public void SeveralChallengesInOneHeaderAreSplitWhereANewSchemeStarts()
    {
        var challenges = AuthChallengeParser.Parse(
            "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\", Bearer realm=\"https://t/token\",service=s");

        Assert.Equal(["Newauth", "Basic", "Bearer"], challenges.Select(c => c.Scheme));
        Assert.Equal("Login to \"apps\"", challenges[0].Parameter("title"));
        Assert.Equal("1", challenges[0].Parameter("type"));
        Assert.Equal("simple", challenges[1].Realm);
        Assert.Equal("s", challenges[2].Service);
    }

    [Fact]
    public void ChallengesFromSeveralHeadersKeepTheirOrder()
    {
        var challenges = AuthChallengeParser.Parse(["Basic realm=\"a\"", "Bearer realm=\"https://b/token\""]);

        Assert.Equal([(true, false), (false, true)], challenges.Select(c => (c.IsBasic, c.IsBearer)));
    }

    [Theory]
    [InlineData("bearer REALM = \"https://x/t\" , Service=svc", "https://x/t", "svc")]
    [InlineData("BEARER realm=https://x/t,service=\"a,b\"", "https://x/t", "a,b")]
    [InlineData("Bearer   realm=\"https://x/t\",,, service=\"svc\"", "https://x/t", "svc")]
    [InlineData("Bearer realm=\"https://x/t\\\\q\"", "https://x/t\\q", null)]
    public void SchemesAndNamesAreCaseInsensitiveAndSpacingIsTolerated(string header, string realm, string? service)
    {
        var challenge = Assert.Single(AuthChallengeParser.Parse(header));

        Assert.True(challenge.IsBearer);
        Assert.Equal(realm, challenge.Realm);
        Assert.Equal(service, challenge.Service);
    }

    [Fact]
    public void AQuotedStringMayHoldCommasEqualsAndSpaces()
    {
        var challenge = Assert.Single(AuthChallengeParser.Parse(
            "Bearer realm=\"https://r/t\",scope=\"repository:a/b:pull repository:c/d:pull,push\""));

        Assert.Equal("repository:a/b:pull repository:c/d:pull,push", challenge.Scope);
    }

    [Fact]
    public void Token68CredentialsAreKeptApartFromParameters()
    {
        var challenges = AuthChallengeParser.Parse("Negotiate YIIabc+/==, Basic realm=\"r\"");

        Assert.Equal("YIIabc+/==", challenges[0].Token68);
        Assert.Empty(challenges[0].Parameters);
        Assert.Equal("r", challenges[1].Realm);
    }

    [Fact]
    public void ASchemeWithoutParametersIsAChallengeToo()
    {
        var challenges = AuthChallengeParser.Parse("Basic, Bearer realm=\"https://r/t\"");

        Assert.Equal(["Basic", "Bearer"], challenges.Select(c => c.Scheme));
        Assert.Empty(challenges[0].Parameters);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(",,,")]
    [InlineData("=\"x\"")]
    public void EmptyOrSchemelessHeadersGiveNoChallenge(string header)
    {
        Assert.Empty(AuthChallengeParser.Parse(header));
    }

    [Fact]
    public void GarbageAfterAValueIsSkippedAndTheNextChallengeStillRead()
    {
        var challenges = AuthChallengeParser.Parse("Bearer realm=\"https://r/t\" junk junk, service=\"s\", Basic realm=\"b\"");

        Assert.Equal(["Bearer", "Basic"], challenges.Select(c => c.Scheme));
        Assert.Equal("https://r/t", challenges[0].Realm);
        Assert.Equal("s", challenges[0].Service);
    }

    [Theory]
    [InlineData("Bearer realm=\"https://r/t\" junk \"open \\")]
    [InlineData("Bearer realm=\"https://r/t\" junk \"open \\\"")]
    [InlineData("Bearer realm=\"https://r/t\" \\")]
    public void ABackslashAtTheEndOfGarbageIsHarmless(string header)
    {
        var challenge = Assert.Single(AuthChallengeParser.Parse(header));

        Assert.Equal("https://r/t", challenge.Realm);
    }

    [Fact]
    public void AnUnterminatedQuoteEndsAtTheEndOfTheHeader()
    {
        var challenge = Assert.Single(AuthChallengeParser.Parse("Bearer realm=\"https://r/t, service=s"));

        Assert.Equal("https://r/t, service=s", challenge.Realm);
    }

    [Fact]
    public void TheFirstOfARepeatedParameterWins()
    {
        var challenge = Assert.Single(AuthChallengeParser.Parse("Bearer realm=\"first\", realm=\"second\""));

        Assert.Equal("first", challenge.Realm);
    }

    [Fact]
    public void AResponsesHeadersAreReadEvenWhenDotNetCannotValidateThem()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"https://r/t\",service=\"s\"");
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Basic realm=\"x\", Bearer realm=\"https://other/t\"");

        var challenges = AuthChallengeParser.Parse(response);

        Assert.Equal(["Bearer", "Basic", "Bearer"], challenges.Select(c => c.Scheme));
        Assert.Equal("https://other/t", challenges[2].Realm);
    }

    [Fact]
    public void NoHeaderMakesTheParserThrowOrLoop()
    {
        const string alphabet = "Bearer Basic realm=\"\\,  =\t/+abc";
        var random = new Random(5);
        for (int i = 0; i < 5000; i++)
        {
            var header = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

            var challenges = AuthChallengeParser.Parse(header);

            Assert.All(challenges, c => Assert.False(string.IsNullOrEmpty(c.Scheme), header));
        }
    }
}
