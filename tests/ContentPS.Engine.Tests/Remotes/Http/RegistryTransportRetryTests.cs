using System.Net;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Http;

[Collection(RegistryCollection.Name)]
public sealed class RegistryTransportRetryTests(SharedRegistry shared)
{
    private const string Repository = "transport/retry";

    [Fact]
    public async Task A503IsRetriedUntilTheRegistryAnswers()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        h.Proxy.AddRule(FaultRule.Status(503, "^/v2/$", "GET", times: 2));

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([503, 503, 200], h.Proxy.Requests.Select(r => r.Status));
        var lines = h.Log.VerboseLines;
        Assert.Equal(3, lines.Count);
        Assert.Matches(@"^GET http://127\.0\.0\.1:\d+/v2/ 503; retrying in [\d.]+ s \(attempt 2 of 5\)$", lines[0]);
        Assert.Matches(@"/v2/ 503; retrying in [\d.]+ s \(attempt 3 of 5\)$", lines[1]);
        Assert.EndsWith("/v2/ 200", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A429WithRetryAfterSecondsWaitsThatLong()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        h.Proxy.AddRule(FaultRule.Status(429, "^/v2/$", "GET", times: 1, headers: new Dictionary<string, string> { ["Retry-After"] = "1" }));

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requests = h.Proxy.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        Assert.True(requests[1].ElapsedMilliseconds - requests[0].ElapsedMilliseconds >= 900,
            $"the retry came {requests[1].ElapsedMilliseconds - requests[0].ElapsedMilliseconds} ms after the 429 that asked for 1 s");
        Assert.Contains("429; retrying in 1 s (attempt 2 of 5)", h.Log.VerboseLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A503WithRetryAfterDateWaitsUntilThen()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        var date = DateTimeOffset.UtcNow.AddSeconds(3).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        h.Proxy.AddRule(FaultRule.Status(503, "^/v2/$", "GET", times: 1, headers: new Dictionary<string, string> { ["Retry-After"] = date }));

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requests = h.Proxy.Requests;
        Assert.Equal(2, requests.Count);
        // The HTTP date has whole seconds, so "3 s from now" is at least 2 s away.
        Assert.True(requests[1].ElapsedMilliseconds - requests[0].ElapsedMilliseconds >= 1500,
            $"the retry came {requests[1].ElapsedMilliseconds - requests[0].ElapsedMilliseconds} ms after a Retry-After date about 3 s ahead");
        Assert.Matches(@"503; retrying in [23](\.\d)? s \(attempt 2 of 5\)$", h.Log.VerboseLines[0]);
    }

    [Fact]
    public async Task RetryAfterLongerThanTheMaximumIsCut()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync(),
            configure: o => new RegistryClientOptions { Log = o.Log, RetryInterval = o.RetryInterval, MaximumRetryAfter = TimeSpan.FromMilliseconds(200) });
        h.Proxy.AddRule(FaultRule.Status(429, "^/v2/$", "GET", times: 1, headers: new Dictionary<string, string> { ["Retry-After"] = "3600" }));

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("429; retrying in 0.2 s (attempt 2 of 5)", h.Log.VerboseLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaximumRetryCountZeroSendsOnce()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync(),
            configure: o => new RegistryClientOptions { Log = o.Log, MaximumRetryCount = 0 });
        h.Proxy.AddRule(FaultRule.Status(503, "^/v2/$"));

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(h.Proxy.Requests);
        Assert.EndsWith("503; not retrying: retries are off", Assert.Single(h.Log.VerboseLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostIsNotRetried()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        h.Proxy.AddRule(FaultRule.Status(503, "/blobs/uploads/", "POST"));

        using var response = await h.SendAsync(h.Request(HttpMethod.Post, $"{Repository}/blobs/uploads/"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(h.Proxy.Requests);
        Assert.EndsWith("503; not retrying: not idempotent", Assert.Single(h.Log.VerboseLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpectedStatusIsNotRetried()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        h.Proxy.AddRule(FaultRule.Status(503, "^/v2/$"));

        using var response = await h.SendAsync(new RegistryRequest { Host = h.Host, Method = HttpMethod.Get, ExpectedStatuses = [503] });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(h.Proxy.Requests);
        Assert.EndsWith("/v2/ 503", Assert.Single(h.Log.VerboseLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A500ForeverIsReturnedAfterEveryAttempt()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync(),
            configure: o => new RegistryClientOptions { Log = o.Log, RetryInterval = o.RetryInterval, MaximumRetryCount = 3 });
        h.Proxy.AddRule(FaultRule.Status(500, "^/v2/$", contentType: "application/json",
            body: """{"errors":[{"code":"UNKNOWN","message":"storage exploded"}]}"""));

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(4, h.Proxy.Requests.Count);
        Assert.EndsWith("500; giving up after 4 attempts", h.Log.VerboseLines[^1], StringComparison.Ordinal);
        var error = await Assert.ThrowsAnyAsync<ClassifiedException>(() => RegistryResponses.ThrowForStatusAsync(response, "check the registry"));
        Assert.Contains("storage exploded", error.Message + error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnHtmlErrorPageEndsAsAClassifiedFailure()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync(),
            configure: o => new RegistryClientOptions { Log = o.Log, RetryInterval = o.RetryInterval, MaximumRetryCount = 1 });
        h.Proxy.AddRule(FaultRule.Status(502, "^/v2/$", contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>"));

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(2, h.Proxy.Requests.Count);
        var error = await Assert.ThrowsAnyAsync<ClassifiedException>(() => RegistryResponses.ThrowForStatusAsync(response, "check the registry"));
        Assert.Equal(ErrorClass.Unavailable, error.Class);
        Assert.Equal(ErrorIds.RegistryUnavailable, error.ErrorId);
    }

    [Fact]
    public async Task ResetConnectionsAreRetried()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        h.Proxy.AddRule(FaultRule.Disconnect("^/v2/$", times: 2));

        using var response = await h.SendAsync(h.Get(""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([0, 0, 200], h.Proxy.Requests.Select(r => r.Status));
        Assert.Contains("connection reset; retrying in", h.Log.VerboseLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResetPostIsNotRetriedAndEndsUnavailable()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        h.Proxy.AddRule(FaultRule.Disconnect("/blobs/uploads/", "POST"));

        var error = await Assert.ThrowsAsync<UnavailableException>(() => h.SendAsync(h.Request(HttpMethod.Post, $"{Repository}/blobs/uploads/")));

        Assert.Single(h.Proxy.Requests);
        Assert.Equal(ErrorIds.RegistryUnavailable, error.ErrorId);
        Assert.Equal($"POST http://{h.Proxy.Host}/v2/{Repository}/blobs/uploads/: connection reset (after 1 attempt).", error.Message);
        Assert.EndsWith("connection reset; not retrying: not idempotent", Assert.Single(h.Log.VerboseLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionRefusedEndsUnavailableAfterEveryAttempt()
    {
        var log = new CollectingLog();
        var transport = new Engine.Remotes.Http.RegistryTransport(
            new RegistryClientOptions { Log = log, RetryInterval = TimeSpan.FromMilliseconds(10), MaximumRetryCount = 2 }, authorizer: null);
        var host = new RegistryHost { Host = $"127.0.0.1:{FreePort.Pick()}", Scheme = "http", RegistryDomain = "closed" };

        var error = await Assert.ThrowsAsync<UnavailableException>(() =>
            transport.SendAsync(new RegistryRequest { Host = host, Method = HttpMethod.Get, Path = "library/x/manifests/latest", Query = "token=abc" }, default));

        Assert.Equal(ErrorIds.RegistryUnavailable, error.ErrorId);
        Assert.Equal($"GET http://{host.Host}/v2/library/x/manifests/latest?token=REDACTED: connection refused (after 3 attempts).", error.Message);
        var lines = log.VerboseLines;
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Contains("connection refused", l, StringComparison.Ordinal));
        Assert.Contains("(attempt 2 of 3)", lines[0], StringComparison.Ordinal);
        Assert.Contains("(attempt 3 of 3)", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("connection refused; giving up after 3 attempts", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain(log.All, l => l.Contains("abc", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARegistryThatDoesNotAnswerInTimeEndsDeadlineExceeded()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync(), configure: o => new RegistryClientOptions
        {
            Log = o.Log, RetryInterval = o.RetryInterval, MaximumRetryCount = 1, ResponseTimeout = TimeSpan.FromMilliseconds(300),
        });
        h.Proxy.AddRule(FaultRule.Delay(5000, "^/v2/$"));

        var error = await Assert.ThrowsAsync<DeadlineExceededException>(() => h.SendAsync(h.Get("")));

        Assert.Equal(ErrorIds.DeadlineExceeded, error.ErrorId);
        Assert.Equal($"GET http://{h.Proxy.Host}/v2/: no response within 0.3 s (after 2 attempts).", error.Message);
        Assert.Equal(2, h.Proxy.Requests.Count);
    }

    [Fact]
    public async Task ARetriedRequestGetsAFreshBody()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync());
        var bytes = TestBlobs.Random(10_000, seed: 11);
        var digest = TestBlobs.DigestOf(bytes);
        using var start = await h.SendAsync(h.Request(HttpMethod.Post, $"{Repository}/blobs/uploads/"));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = new Uri(h.Proxy.BaseUri, start.Headers.Location!);
        h.Proxy.AddRule(FaultRule.Status(503, "/blobs/uploads/", "PUT", times: 1));
        int bodies = 0;

        using var put = await h.SendAsync(new RegistryRequest
        {
            Host = h.Host,
            Method = HttpMethod.Put,
            Url = new Uri($"{location}&digest={Uri.EscapeDataString(digest)}"),
            Content = () =>
            {
                Interlocked.Increment(ref bodies);
                return new ByteArrayContent(bytes);
            },
        });

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(2, bodies);
        Assert.Equal(["POST", "PUT", "PUT"], h.Proxy.Requests.Select(r => r.Method));
        using var blob = await h.SendAsync(h.Get($"{Repository}/blobs/{digest}"));
        Assert.Equal(bytes, await blob.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task CancellationStopsABackoffWaitAtOnce()
    {
        await using var h = await TransportHarness.StartAsync(await shared.GetAsync(),
            configure: o => new RegistryClientOptions { Log = o.Log, MaximumRetryAfter = TimeSpan.FromMinutes(10) });
        h.Proxy.AddRule(FaultRule.Status(503, "^/v2/$", headers: new Dictionary<string, string> { ["Retry-After"] = "600" }));
        using var cancel = new CancellationTokenSource();

        var send = h.SendAsync(h.Get(""), cancel.Token);
        await WaitUntilAsync(() => h.Log.VerboseLines.Count == 1);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Single(h.Proxy.Requests);
        Assert.Contains("503; retrying in 600 s", h.Log.VerboseLines[0], StringComparison.Ordinal);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        // A hang guard only: the condition normally holds within milliseconds.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 30 s");
            await Task.Delay(10);
        }
    }
}
