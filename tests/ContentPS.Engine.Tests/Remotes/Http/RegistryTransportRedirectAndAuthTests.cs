using System.Net;
using System.Net.Http.Headers;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Http;

[Collection(RegistryCollection.Name)]
public sealed class RegistryTransportRedirectAndAuthTests(SharedRegistry shared)
{
    private const string Repository = "transport/redirect";
    private const string Token = "secret-token-4711";

    [Fact]
    public async Task ARedirectToAnotherHostCarriesNeitherAuthorizationNorHostHeaders()
    {
        var registry = await shared.GetAsync();
        var authorizer = new FixedAuthorizer(new AuthenticationHeaderValue("Bearer", Token));
        await using var h = await TransportHarness.StartAsync(registry, authorizer);
        await using var other = await FaultProxy.StartAsync(registry.BaseUri, IPAddress.Parse("127.0.0.2"));
        var digest = await PushAsync(h, TestBlobs.Random(6000, seed: 21));
        h.Proxy.AddRule(FaultRule.Redirect(other.BaseUri, "/blobs/sha256:", "GET"));
        var host = h.Host with { Headers = new Dictionary<string, IReadOnlyList<string>> { ["X-Mirror-Key"] = ["k1"] } };

        using var response = await h.SendAsync(new RegistryRequest { Host = host, Method = HttpMethod.Get, Path = $"{Repository}/blobs/{digest}" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(digest, TestBlobs.DigestOf(await response.Content.ReadAsByteArrayAsync()));
        var first = h.Proxy.Requests.Last();
        Assert.Equal(307, first.Status);
        Assert.Equal($"Bearer {Token}", first.Authorization);
        Assert.Equal("k1", first.Headers["X-Mirror-Key"]);
        var redirected = Assert.Single(other.Requests);
        Assert.Equal(200, redirected.Status);
        Assert.False(redirected.HasAuthorization);
        Assert.False(redirected.Headers.ContainsKey("X-Mirror-Key"));
        Assert.Equal(0, authorizer.Challenges);
        var lines = h.Log.VerboseLines.TakeLast(2).ToList();
        Assert.EndsWith($"http://{h.Proxy.Host}/v2/{Repository}/blobs/{digest} 307", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"http://{other.Host}/v2/{Repository}/blobs/{digest} 200", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARedirectToTheSameHostKeepsAuthorization()
    {
        var authorizer = new FixedAuthorizer(new AuthenticationHeaderValue("Bearer", Token));
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync(), authorizer);
        var digest = await PushAsync(h, TestBlobs.Random(3000, seed: 22));
        h.Proxy.ClearRequests();
        h.Proxy.AddRule(FaultRule.Redirect(h.Proxy.BaseUri, "/blobs/sha256:", "GET", times: 1));

        using var response = await h.SendAsync(h.Get($"{Repository}/blobs/{digest}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([307, 200], h.Proxy.Requests.Select(r => r.Status));
        Assert.All(h.Proxy.Requests, r => Assert.Equal($"Bearer {Token}", r.Authorization));
    }

    [Fact]
    public async Task A303TurnsThePostIntoAGetWithoutABody()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        h.Proxy.AddRule(FaultRule.Redirect(h.Proxy.BaseUri, "^/v2/$", "POST", statusCode: 303));

        using var response = await h.SendAsync(new RegistryRequest
        {
            Host = h.Host, Method = HttpMethod.Post, Content = () => new StringContent("payload"),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["POST", "GET"], h.Proxy.Requests.Select(r => r.Method));
        Assert.Equal("7", h.Proxy.Requests[0].Headers["Content-Length"]);
        Assert.False(h.Proxy.Requests[1].Headers.ContainsKey("Content-Length"));
    }

    [Fact]
    public async Task RedirectsAreNotFollowedWhenTheRequestSaysSo()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        h.Proxy.AddRule(FaultRule.Redirect(new Uri("http://127.0.0.2:9/"), "^/v2/$"));

        using var response = await h.SendAsync(new RegistryRequest { Host = h.Host, Method = HttpMethod.Get, FollowRedirects = false });

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(new Uri("http://127.0.0.2:9/v2/"), response.Headers.Location);
        Assert.Single(h.Proxy.Requests);
    }

    [Fact]
    public async Task ARedirectLoopEndsAfterTenRedirects()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        h.Proxy.AddRule(FaultRule.Redirect(h.Proxy.BaseUri, "^/v2/$"));

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(11, h.Proxy.Requests.Count);
    }

    [Fact]
    public async Task A401ChallengeIsAnsweredAndTheRequestSentAgainOnce()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Htpasswd);
        var authorizer = new BasicOnChallengeAuthorizer(registry.Username!, registry.Password!);
        await using var h = await TransportHarness.StartAsync(registry, authorizer);

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([401, 200], h.Proxy.Requests.Select(r => r.Status));
        Assert.Equal([false, true], h.Proxy.Requests.Select(r => r.HasAuthorization));
        Assert.EndsWith("/v2/ 401; challenge answered, sending again", h.Log.VerboseLines[0], StringComparison.Ordinal);
        AssertNoSecret(h.Log, registry.Password!, h.Proxy.Requests[1].Authorization!);
    }

    [Fact]
    public async Task A401ThatTheAuthorizerCannotAnswerIsReturned()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Htpasswd);
        var authorizer = new FixedAuthorizer(new AuthenticationHeaderValue("Basic", "d3Jvbmc6d3Jvbmc="));
        await using var h = await TransportHarness.StartAsync(registry, authorizer);

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(h.Proxy.Requests);
        Assert.Equal(1, authorizer.Challenges);
        AssertNoSecret(h.Log, "d3Jvbmc6d3Jvbmc=");
    }

    [Fact]
    public async Task ASecond401IsNotAnsweredAgain()
    {
        var authorizer = new FixedAuthorizer(new AuthenticationHeaderValue("Bearer", Token), acceptChallenges: true);
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync(), authorizer);
        h.Proxy.AddRule(FaultRule.Status(401, "^/v2/$", headers: new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer realm=\"http://127.0.0.1:9/token\"" }));

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, h.Proxy.Requests.Count);
        Assert.Equal(1, authorizer.Challenges);
    }

    [Fact]
    public async Task A403ForInsufficientScopeIsAChallenge()
    {
        var authorizer = new FixedAuthorizer(new AuthenticationHeaderValue("Bearer", Token), acceptChallenges: true);
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync(), authorizer);
        h.Proxy.AddRule(FaultRule.Status(403, "^/v2/$", times: 1, headers: new Dictionary<string, string>
        {
            ["WWW-Authenticate"] = "Bearer realm=\"http://127.0.0.1:9/token\",service=\"test\",scope=\"repository:a/b:pull,push\",error=\"insufficient_scope\"",
        }));

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([403, 200], h.Proxy.Requests.Select(r => r.Status));
        Assert.Equal(1, authorizer.Challenges);
    }

    [Fact]
    public async Task APlain403IsNotAChallenge()
    {
        var authorizer = new FixedAuthorizer(new AuthenticationHeaderValue("Bearer", Token), acceptChallenges: true);
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync(), authorizer);
        h.Proxy.AddRule(FaultRule.Status(403, "^/v2/$", headers: new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer realm=\"http://127.0.0.1:9/token\",error=\"denied\"" }));

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Single(h.Proxy.Requests);
        Assert.Equal(0, authorizer.Challenges);
    }

    [Fact]
    public async Task AFailureToAnswerTheChallengeReachesTheCaller()
    {
        var failure = Engine.Errdefs.Errors.New(ErrorClass.Unavailable, "token endpoint down", Engine.Errdefs.ErrorIds.RegistryUnavailable);
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync(RegistryFlavor.Htpasswd), new FailingAuthorizer(failure));

        var thrown = await Assert.ThrowsAsync<UnavailableException>(() => h.SendAsync(h.Get("")));

        Assert.Same(failure, thrown);
        Assert.Single(h.Proxy.Requests);
    }

    [Fact]
    public async Task VerboseAndDebugLinesNeverCarryTheAuthorization()
    {
        var registry = await shared.GetAsync();
        var authorizer = new FixedAuthorizer(new AuthenticationHeaderValue("Bearer", Token));
        await using var h = await TransportHarness.StartAsync(registry, authorizer);
        await using var other = await FaultProxy.StartAsync(registry.BaseUri, IPAddress.Parse("127.0.0.2"));
        var digest = await PushAsync(h, TestBlobs.Random(2000, seed: 23));
        h.Proxy.ClearRequests();
        h.Proxy.AddRule(FaultRule.Status(503, "/blobs/", "GET", times: 1));
        h.Proxy.AddRule(FaultRule.Redirect(new Uri(other.BaseUri, "?X-Amz-Signature=sig-secret&X-Amz-Credential=cred-secret"), "/blobs/sha256:", "GET"));

        using var response = await h.SendAsync(h.Get($"{Repository}/blobs/{digest}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, h.Log.DebugLines.Count);
        Assert.Contains("X-Amz-Signature=REDACTED", h.Log.VerboseLines[^1], StringComparison.Ordinal);
        Assert.All(h.Proxy.Requests, r => Assert.Equal($"Bearer {Token}", r.Authorization));
        AssertNoSecret(h.Log, Token, "sig-secret", "cred-secret");
    }

    private static async Task<string> PushAsync(TransportHarness h, byte[] bytes)
    {
        using var client = new HttpClient { BaseAddress = h.Proxy.BaseUri };
        return await TestBlobs.PushAsync(client, Repository, bytes);
    }

    private static void AssertNoSecret(CollectingLog log, params string[] secrets)
    {
        Assert.NotEmpty(log.VerboseLines);
        foreach (var line in log.All)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("Authorization", line, StringComparison.OrdinalIgnoreCase);
        }
    }
}
