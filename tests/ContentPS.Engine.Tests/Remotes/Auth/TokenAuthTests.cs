using System.Net;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Auth;

/// <summary>The whole challenge → token → retry flow against the token-auth docker-registry, through the baseline transport.</summary>
[Collection(RegistryCollection.Name)]
public sealed class TokenAuthTests(SharedRegistry shared) : IDisposable
{
    private static readonly string[] ManifestTypes = ["application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json"];
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AnonymousPullOfAPublicRepositoryGetsAnAnonymousToken()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var repository = AuthSession.UniqueRepository("public/");
        var digest = await AuthSession.PushImageAsync(registry, repository, _temp.Combine("layout"));
        int before = registry.TokenRequests.Count;
        var session = new AuthSession(registry);

        using var response = await GetManifestAsync(session, repository, digest);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var asked = registry.TokenRequests.Skip(before).Where(r => r.Names(repository)).ToList();
        var request = Assert.Single(asked);
        Assert.Equal("GET", request.Method);
        Assert.False(request.BasicPresented);
        Assert.Equal([$"repository:{repository}:pull"], request.Scopes);
        Assert.Equal(TokenServer.ServiceName, request.Service);
        Assert.Null(request.AuthenticatedUser);
    }

    [Fact]
    public async Task AnonymousPullOfAPrivateRepositoryIsUnauthenticatedAndNotRetriedAgain()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var repository = AuthSession.UniqueRepository("private/");
        var digest = await AuthSession.PushImageAsync(registry, repository, _temp.Combine("layout"));
        var session = new AuthSession(registry);

        using var response = await GetManifestAsync(session, repository, digest);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // The anonymous token was refused for too few rights: asking again cannot help.
        Assert.False(await session.Authorizer.HandleChallengeAsync(session.Host, AuthScope.Pull(repository), response, CancellationToken.None));
        var error = await Assert.ThrowsAnyAsync<ClassifiedException>(() =>
            RegistryResponses.ThrowForStatusAsync(response, $"fetch {repository}@{digest}", digest));
        Assert.Equal(ErrorClass.Unauthenticated, Errors.Resolve(error));
        Assert.Equal(ErrorIds.RegistryUnauthorized, error.ErrorId);
    }

    [Fact]
    public async Task CredentialsPushAndPullWithThePasswordGrant()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var repository = AuthSession.UniqueRepository("team/");
        int before = registry.TokenRequests.Count;
        var session = new AuthSession(registry, AuthSession.UserOf(registry));
        var bytes = AuthSession.RandomBytes(2048);

        var digest = await session.PushBlobAsync(repository, bytes);
        using var pulled = await session.SendAsync(HttpMethod.Get, $"{repository}/blobs/{digest}", AuthScope.Pull(repository));

        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal(bytes, await pulled.Content.ReadAsByteArrayAsync());
        var asked = registry.TokenRequests.Skip(before).Where(r => r.Names(repository)).ToList();
        Assert.Equal([[$"repository:{repository}:pull,push"], [$"repository:{repository}:pull"]], asked.Select(r => r.Scopes));
        Assert.All(asked, r =>
        {
            Assert.Equal(("POST", "password", "ContentPS", "testuser", 200), (r.Method, r.GrantType, r.ClientId, r.AuthenticatedUser, r.Status));
            Assert.False(r.BasicPresented);
        });
    }

    [Fact]
    public async Task AnIdentityTokenUsesTheRefreshTokenGrant()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var repository = AuthSession.UniqueRepository("team/");
        int before = registry.TokenRequests.Count;
        var session = new AuthSession(registry, new RegistryCredential(string.Empty, registry.TokenServer!.IssueRefreshToken()));

        await session.PushBlobAsync(repository, AuthSession.RandomBytes(100));

        var request = Assert.Single(registry.TokenRequests.Skip(before), r => r.Names(repository));
        Assert.Equal(("POST", "refresh_token", "testuser"), (request.Method, request.GrantType, request.AuthenticatedUser));
    }

    [Fact]
    public async Task AnUnknownRefreshTokenIsUnauthenticatedWithoutAGetFallback()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var repository = AuthSession.UniqueRepository("team/");
        int before = registry.TokenRequests.Count;
        var session = new AuthSession(registry, new RegistryCredential(string.Empty, "not-a-refresh-token-issued-here"));

        var error = await Assert.ThrowsAsync<UnauthenticatedException>(() =>
            session.SendAsync(HttpMethod.Get, $"{repository}/tags/list", AuthScope.Pull(repository)));

        Assert.DoesNotContain("not-a-refresh-token-issued-here", error.ToString(), StringComparison.Ordinal);
        var request = Assert.Single(registry.TokenRequests.Skip(before), r => r.Names(repository));
        Assert.Equal(("POST", 401), (request.Method, request.Status));
    }

    [Fact]
    public async Task ParallelRequestsForOneScopeShareOneTokenFetch()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var repository = AuthSession.UniqueRepository("team/");
        var session = new AuthSession(registry, AuthSession.UserOf(registry));
        var digest = await session.PushBlobAsync(repository, AuthSession.RandomBytes(64));
        int before = registry.TokenRequests.Count;

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            session.SendAsync(HttpMethod.Head, $"{repository}/blobs/{digest}", AuthScope.Pull(repository))));
        using var again = await session.SendAsync(HttpMethod.Head, $"{repository}/blobs/{digest}", AuthScope.Pull(repository));

        Assert.All(responses.Append(again), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses) response.Dispose();
        Assert.Single(registry.TokenRequests.Skip(before), r => r.Names(repository));
    }

    [Fact]
    public async Task AnExpiredTokenIsFetchedAgainBeforeTheRequest()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var repository = AuthSession.UniqueRepository("team/");
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var session = new AuthSession(registry, AuthSession.UserOf(registry), clock);
        var digest = await session.PushBlobAsync(repository, AuthSession.RandomBytes(64));
        int before = registry.TokenRequests.Count;
        int unauthorizedBefore = session.UnauthorizedCount;

        using (var first = await session.SendAsync(HttpMethod.Head, $"{repository}/blobs/{digest}", AuthScope.Pull(repository))) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var cached = await session.SendAsync(HttpMethod.Head, $"{repository}/blobs/{digest}", AuthScope.Pull(repository))) Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Single(registry.TokenRequests.Skip(before), r => r.Names(repository));

        clock.Advance(TimeSpan.FromSeconds(registry.TokenServer!.ExpiresInSeconds));
        using (var renewed = await session.SendAsync(HttpMethod.Head, $"{repository}/blobs/{digest}", AuthScope.Pull(repository))) Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);

        Assert.Equal(2, registry.TokenRequests.Skip(before).Count(r => r.Names(repository)));
        // The host's challenge is known: neither the pull scope nor the renewal cost a 401.
        Assert.Equal(unauthorizedBefore, session.UnauthorizedCount);
    }

    [Fact]
    public async Task InsufficientScopeWidensTheScopeAndAsksAgain()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var repository = AuthSession.UniqueRepository("team/");
        var session = new AuthSession(registry, AuthSession.UserOf(registry));
        using (var tags = await session.SendAsync(HttpMethod.Get, $"{repository}/tags/list", AuthScope.Pull(repository))) Assert.Equal(HttpStatusCode.NotFound, tags.StatusCode);
        int before = registry.TokenRequests.Count;

        // The caller says pull, the upload needs push: the pull token is refused as insufficient.
        using var upload = await session.SendAsync(HttpMethod.Post, $"{repository}/blobs/uploads/", AuthScope.Pull(repository));
        using var second = await session.SendAsync(HttpMethod.Post, $"{repository}/blobs/uploads/", AuthScope.Pull(repository));

        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var asked = registry.TokenRequests.Skip(before).Where(r => r.Names(repository)).ToList();
        Assert.Equal([[$"repository:{repository}:pull,push"]], asked.Select(r => r.Scopes));
        Assert.Contains(session.Log.Lines, l => l.Contains("insufficient_scope", StringComparison.Ordinal) || l.Contains("wants scope", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMountAsksForPullOnTheSourceRepositoryToo()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var source = AuthSession.UniqueRepository("team/");
        var target = AuthSession.UniqueRepository("team/");
        var session = new AuthSession(registry, AuthSession.UserOf(registry));
        var digest = await session.PushBlobAsync(source, AuthSession.RandomBytes(300));
        int before = registry.TokenRequests.Count;

        using var mount = await session.SendAsync(HttpMethod.Post, $"{target}/blobs/uploads/", AuthScope.Push(target),
            query: $"mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(source)}");

        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        var asked = registry.TokenRequests.Skip(before).Where(r => r.Names(target)).ToList();
        Assert.Equal(new[] { $"repository:{source}:pull", $"repository:{target}:pull,push" }.Order(StringComparer.Ordinal), asked.Last().Scopes.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.BadRequest)]
    public async Task ARefusedPostFallsBackToGetWithBasicOnceForTheRealm(HttpStatusCode refusal)
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryFlavor.Token);
        registry.TokenServer!.RefusePostWith = refusal;
        var repository = AuthSession.UniqueRepository("team/");
        var session = new AuthSession(registry, AuthSession.UserOf(registry));

        var digest = await session.PushBlobAsync(repository, AuthSession.RandomBytes(128));
        using var pulled = await session.SendAsync(HttpMethod.Head, $"{repository}/blobs/{digest}", AuthScope.Pull(repository));

        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        var asked = registry.TokenRequests.Where(r => r.Names(repository)).Select(r => (r.Method, r.BasicPresented, r.Status)).ToList();
        // The second scope goes straight to GET: the realm is known not to take the POST.
        Assert.Equal([("POST", false, (int)refusal), ("GET", true, 200), ("GET", true, 200)], asked);
    }

    [Fact]
    public async Task AWrongPasswordIsUnauthenticatedAndTheMessageHoldsNoSecret()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var repository = AuthSession.UniqueRepository("team/");
        const string wrong = "Wr0ngPassw0rd-that-must-not-leak";
        var session = new AuthSession(registry, new RegistryCredential(registry.Username!, wrong));

        var error = await Assert.ThrowsAsync<UnauthenticatedException>(() =>
            session.SendAsync(HttpMethod.Get, $"{repository}/tags/list", AuthScope.Pull(repository)));

        Assert.Equal(ErrorIds.RegistryUnauthorized, error.ErrorId);
        Assert.Contains(registry.TokenRealm!.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(registry.Host, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.Details ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, session.Log.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("forbidden/", ErrorClass.PermissionDenied, ErrorIds.RegistryDenied)]
    [InlineData("unavailable/", ErrorClass.Unavailable, ErrorIds.RegistryUnavailable)]
    public async Task TokenEndpointRefusalsKeepTheirClass(string prefix, ErrorClass expected, string errorId)
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var repository = AuthSession.UniqueRepository(prefix);
        var session = new AuthSession(registry, AuthSession.UserOf(registry));

        var error = await Assert.ThrowsAnyAsync<ClassifiedException>(() =>
            session.SendAsync(HttpMethod.Get, $"{repository}/tags/list", AuthScope.Pull(repository)));

        Assert.Equal(expected, Errors.Resolve(error));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(registry.Host, error.Target);
    }

    [Fact]
    public async Task AnAuthenticatedRunLogsNeitherThePasswordNorAnyToken()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var repository = AuthSession.UniqueRepository("team/");
        var refreshToken = registry.TokenServer!.IssueRefreshToken();
        var session = new AuthSession(registry, AuthSession.UserOf(registry));
        var viaRefresh = new AuthSession(registry, new RegistryCredential(string.Empty, refreshToken));

        var digest = await session.PushBlobAsync(repository, AuthSession.RandomBytes(4096));
        using (var pulled = await session.SendAsync(HttpMethod.Get, $"{repository}/blobs/{digest}", AuthScope.Pull(repository))) Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        using (var pulledAgain = await viaRefresh.SendAsync(HttpMethod.Get, $"{repository}/blobs/{digest}", AuthScope.Pull(repository))) Assert.Equal(HttpStatusCode.OK, pulledAgain.StatusCode);
        var tokens = new[]
        {
            (await session.Authorizer.GetAuthorizationAsync(session.Host, AuthScope.Push(repository), CancellationToken.None))!.Parameter!,
            (await session.Authorizer.GetAuthorizationAsync(session.Host, AuthScope.Pull(repository), CancellationToken.None))!.Parameter!,
            (await viaRefresh.Authorizer.GetAuthorizationAsync(viaRefresh.Host, AuthScope.Pull(repository), CancellationToken.None))!.Parameter!,
        };

        var log = session.Log.Text + viaRefresh.Log.Text;
        Assert.Contains("POST " + registry.TokenRealm, log, StringComparison.Ordinal);
        Assert.Contains($"/v2/{repository}/blobs/{digest} 200", log, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Password!, log, StringComparison.Ordinal);
        Assert.DoesNotContain(refreshToken, log, StringComparison.Ordinal);
        Assert.All(tokens, t => Assert.DoesNotContain(t, log, StringComparison.Ordinal));
        Assert.All(tokens.Select(t => t.Split('.')[2]), signature => Assert.DoesNotContain(signature, log, StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> GetManifestAsync(AuthSession session, string repository, string digest) =>
        session.Transport.SendAsync(new RegistryRequest
        {
            Host = session.Host,
            Method = HttpMethod.Get,
            Path = $"{repository}/manifests/{digest}",
            Scope = AuthScope.Pull(repository),
            Accept = ManifestTypes,
        }, CancellationToken.None);
}
