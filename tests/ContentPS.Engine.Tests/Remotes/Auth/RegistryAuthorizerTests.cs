using System.Net;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Auth;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Auth;

/// <summary>Challenges the authorizer must refuse or fail on before any token request succeeds.</summary>
public sealed class RegistryAuthorizerTests
{
    private static readonly RegistryHost Https = new() { Host = "registry.example", Scheme = "https", RegistryDomain = "registry.example" };

    [Fact]
    public async Task AResponseWithoutAChallengeCannotBeAnswered()
    {
        var authorizer = new RegistryAuthorizer(new RegistryClientOptions(), credentials: null);

        Assert.False(await authorizer.HandleChallengeAsync(Https, AuthScope.None, Unauthorized(), default));
        Assert.False(await authorizer.HandleChallengeAsync(Https, AuthScope.None, Unauthorized("Negotiate abc=="), default));
        Assert.Null(await authorizer.GetAuthorizationAsync(Https, AuthScope.None, default));
    }

    [Theory]
    [InlineData("Bearer service=\"svc\"")]
    [InlineData("Bearer realm=\"/relative/token\"")]
    [InlineData("Bearer realm=\"ftp://auth.example/token\"")]
    public async Task ABearerChallengeWithoutAUsableRealmIsUnauthenticated(string challenge)
    {
        var authorizer = new RegistryAuthorizer(new RegistryClientOptions(), credentials: null);

        var error = await Assert.ThrowsAsync<UnauthenticatedException>(() =>
            authorizer.HandleChallengeAsync(Https, AuthScope.None, Unauthorized(challenge), default).AsTask());

        Assert.Contains("registry.example", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialsAreNotSentToAPlainHttpRealmOfAnHttpsRegistry()
    {
        const string secret = "must-stay-home";
        var log = new CapturingLog();
        var authorizer = new RegistryAuthorizer(new RegistryClientOptions { Credential = new RegistryCredential("u", secret), Log = log }, credentials: null);

        var error = await Assert.ThrowsAsync<UnauthenticatedException>(() =>
            authorizer.HandleChallengeAsync(Https, AuthScope.Pull("a/b"), Unauthorized("Bearer realm=\"http://auth.example/token\",service=\"svc\""), default).AsTask());

        Assert.Contains("plain HTTP", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(log.Lines, l => l.Contains("auth.example/token", StringComparison.Ordinal) && l.StartsWith("VERBOSE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATokenServerThatCannotBeReachedIsUnavailableAndNamed()
    {
        var realm = $"http://127.0.0.1:{FreePort.Pick()}/token";
        var log = new CapturingLog();
        var authorizer = new RegistryAuthorizer(new RegistryClientOptions { Log = log }, credentials: null);

        var error = await Assert.ThrowsAsync<UnavailableException>(() =>
            authorizer.HandleChallengeAsync(Https, AuthScope.Pull("a/b"), Unauthorized($"Bearer realm=\"{realm}\",service=\"svc\""), default).AsTask());

        Assert.Equal(ErrorIds.RegistryUnavailable, error.ErrorId);
        Assert.Contains(realm, error.Message, StringComparison.Ordinal);
        Assert.Contains("registry.example", error.Message, StringComparison.Ordinal);
        Assert.Contains(log.Lines, l => l.StartsWith($"VERBOSE: GET {realm}?service=svc&scope=", StringComparison.Ordinal));
    }

    private static HttpResponseMessage Unauthorized(params string[] challenges)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized) { RequestMessage = new HttpRequestMessage(HttpMethod.Get, "https://registry.example/v2/") };
        foreach (var challenge in challenges)
        {
            response.Headers.TryAddWithoutValidation("WWW-Authenticate", challenge);
        }

        return response;
    }
}
