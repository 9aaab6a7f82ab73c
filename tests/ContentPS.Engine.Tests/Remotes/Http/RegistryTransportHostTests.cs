using System.Net;
using ContentPS.Engine.Remotes.Http;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Http;

[Collection(RegistryCollection.Name)]
public sealed class RegistryTransportHostTests(SharedRegistry shared)
{
    [Fact]
    public async Task EachRegistryWarningIsShownOncePerTransport()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        h.Proxy.AddRule(FaultRule.AddHeaders(new Dictionary<string, string>
        {
            ["Warning"] = "299 - \"this repository is deprecated\"\n299 - \"quota 90% used\"\n199 - \"not a registry warning\"",
        }, "^/v2/$"));

        for (int i = 0; i < 3; i++)
        {
            using var response = await h.SendAsync(h.Get(""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(
            [$"Registry {h.Proxy.Host}: this repository is deprecated", $"Registry {h.Proxy.Host}: quota 90% used"],
            h.Log.Warnings);
        var second = new RegistryTransport(h.Options, authorizer: null);
        using (await second.SendAsync(h.Get(""), default))
        {
        }

        Assert.Equal(4, h.Log.Warnings.Count);
    }

    [Fact]
    public async Task ARetryAfterFromOneRequestHoldsBackTheOtherRequestsToThatHost()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        h.Proxy.AddRule(FaultRule.Status(429, "/first/", "GET", times: 1, headers: new Dictionary<string, string> { ["Retry-After"] = "2" }));

        var first = h.SendAsync(h.Get("transport/first/manifests/latest"));
        await RegistryTransportRetryTests.WaitUntilAsync(() => h.Log.VerboseLines.Count == 1);
        var second = h.SendAsync(h.Get("transport/second/manifests/latest"));
        using var firstResponse = await first;
        using var secondResponse = await second;

        Assert.Equal(HttpStatusCode.NotFound, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, secondResponse.StatusCode);
        var requests = h.Proxy.Requests;
        Assert.Equal(3, requests.Count);
        var limited = requests.Single(r => r.Status == 429);
        var other = requests.Single(r => r.Target.Contains("/second/", StringComparison.Ordinal));
        // The second request was started right after the 429 and still waited for the host's quiet period.
        Assert.True(other.ElapsedMilliseconds - limited.ElapsedMilliseconds >= 1500,
            $"the other request reached the host {other.ElapsedMilliseconds - limited.ElapsedMilliseconds} ms after a Retry-After of 2 s");
        Assert.Contains(h.Log.DebugLines, l => l.Contains("/second/", StringComparison.Ordinal)
            && l.Contains($"because {h.Proxy.Host} asked to slow down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnotherHostIsNotHeldBack()
    {
        var registry = await shared.GetAsync();
        await using var h = await TransportHarness.StartAsync(registry);
        await using var other = await FaultProxy.StartAsync(registry.BaseUri);
        h.Proxy.AddRule(FaultRule.Status(503, "^/v2/$", times: 1, headers: new Dictionary<string, string> { ["Retry-After"] = "600" }));
        using var cancel = new CancellationTokenSource();

        var held = h.SendAsync(h.Get(""), cancel.Token);
        await RegistryTransportRetryTests.WaitUntilAsync(() => h.Log.VerboseLines.Count == 1);
        using var response = await h.Transport.SendAsync(new() { Host = TransportHarness.HostFor(other), Method = HttpMethod.Get }, default)
            .WaitAsync(TimeSpan.FromSeconds(30));
        cancel.Cancel();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held);
        Assert.Single(h.Proxy.Requests);
    }
}
