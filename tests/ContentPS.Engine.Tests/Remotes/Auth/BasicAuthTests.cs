using System.Net;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Auth;

/// <summary>Basic auth against the htpasswd docker-registry through the baseline transport.</summary>
[Collection(RegistryCollection.Name)]
public sealed class BasicAuthTests(SharedRegistry shared)
{
    [Fact]
    public async Task TheFirstRequestLearnsBasicAndLaterRequestsSendItUpFront()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Htpasswd);
        var session = new AuthSession(registry, AuthSession.UserOf(registry));
        var repository = AuthSession.UniqueRepository("basic/");

        var digest = await session.PushBlobAsync(repository, AuthSession.RandomBytes(256));
        using var pulled = await session.SendAsync(HttpMethod.Head, $"{repository}/blobs/{digest}", AuthScope.Pull(repository));

        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        // POST (401, then with Basic), PUT, HEAD: one challenge in all.
        Assert.Equal(1, session.UnauthorizedCount);
        var header = await session.Authorizer.GetAuthorizationAsync(session.Host, AuthScope.Pull(repository), CancellationToken.None);
        Assert.Equal("Basic", header!.Scheme);
        Assert.DoesNotContain(registry.Password!, session.Log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(header.Parameter!, session.Log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABasicChallengeWithoutACredentialCannotBeAnswered()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Htpasswd);
        var session = new AuthSession(registry);

        using var response = await session.SendAsync(HttpMethod.Get, string.Empty, AuthScope.None);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(await session.Authorizer.HandleChallengeAsync(session.Host, AuthScope.None, response, CancellationToken.None));
        Assert.Null(await session.Authorizer.GetAuthorizationAsync(session.Host, AuthScope.None, CancellationToken.None));
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedOnceAndReportedAsUnauthenticated()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Htpasswd);
        const string wrong = "not-the-Password-42";
        var session = new AuthSession(registry, new RegistryCredential(registry.Username!, wrong));

        using var response = await session.SendAsync(HttpMethod.Get, string.Empty, AuthScope.None);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.RequestMessage!.Headers.Authorization!.Scheme);
        // The same credentials were refused: sending them again cannot help.
        Assert.False(await session.Authorizer.HandleChallengeAsync(session.Host, AuthScope.None, response, CancellationToken.None));
        var error = await Assert.ThrowsAsync<UnauthenticatedException>(() => RegistryResponses.ThrowForStatusAsync(response, "ping"));
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, session.Log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIdentityTokenIsNoAnswerToABasicChallenge()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Htpasswd);
        var session = new AuthSession(registry, new RegistryCredential(string.Empty, "some-refresh-token"));

        using var response = await session.SendAsync(HttpMethod.Get, string.Empty, AuthScope.None);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.RequestMessage!.Headers.Authorization);
    }

    [Fact]
    public async Task ThePlainRegistryNeedsNoAuthorizationAtAll()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Plain);
        var session = new AuthSession(registry, new RegistryCredential("someone", "unused-secret"));

        using var response = await session.SendAsync(HttpMethod.Get, string.Empty, AuthScope.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.RequestMessage!.Headers.Authorization);
        Assert.Null(await session.Authorizer.GetAuthorizationAsync(session.Host, AuthScope.None, CancellationToken.None));
    }
}
