using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Http;

[Collection(RegistryCollection.Name)]
public sealed class FaultProxyTests(SharedRegistry shared)
{
    private const string Repository = "faultproxy/blobs";

    [Fact]
    public async Task ForwardsUploadsAndDownloadsAndLogsEveryRequest()
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);
        var bytes = TestBlobs.Random(300_000, seed: 1);

        var digest = await TestBlobs.PushAsync(client, Repository, bytes);
        var downloaded = await client.GetByteArrayAsync(TestBlobs.BlobPath(Repository, digest));

        Assert.Equal(bytes, downloaded);
        var log = proxy.Requests;
        Assert.Equal(["POST", "PUT", "GET"], log.Select(r => r.Method));
        Assert.Equal([202, 201, 200], log.Select(r => r.Status));
        Assert.Equal([1, 2, 3], log.Select(r => r.Sequence));
        Assert.All(log, r => Assert.Null(r.RuleId));
        // The registry built the upload Location from the Host the client sent: the proxy's.
        Assert.StartsWith($"/v2/{Repository}/blobs/uploads/", log[1].Target, StringComparison.Ordinal);
        Assert.Equal(proxy.Host, log[1].Headers["Host"]);
    }

    [Fact]
    public async Task ForwardsAChunkedRequestBody()
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);
        var bytes = TestBlobs.Random(70_000, seed: 2);
        using var start = await client.PostAsync($"v2/{Repository}/blobs/uploads/", null);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, start.Headers.Location) { Content = new ByteArrayContent(bytes) };
        patch.Headers.TransferEncodingChunked = true;

        using var patched = await client.SendAsync(patch);

        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        Assert.Equal($"0-{bytes.Length - 1}", patched.Headers.GetValues("Range").Single());
        Assert.Equal("chunked", proxy.Requests[1].Headers["Transfer-Encoding"]);
    }

    [Fact]
    public async Task StatusRuleAnswersTheFirstRequestsItCoversThenTheRegistryAnswers()
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);
        var rule = proxy.AddRule(FaultRule.Status(503, "^/v2/$", "GET", times: 2, "application/json", "{\"errors\":[]}",
            new Dictionary<string, string> { ["Retry-After"] = "7" }));

        var first = await client.GetAsync("v2/");
        var second = await client.GetAsync("v2/");
        var third = await client.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), first.Headers.RetryAfter?.Delta);
        Assert.Equal("{\"errors\":[]}", await first.Content.ReadAsStringAsync());
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal("registry/2.0", third.Headers.GetValues("Docker-Distribution-API-Version").Single());
        Assert.Equal(2, proxy.Hits(rule));
        Assert.Equal([rule, rule, null], proxy.Requests.Select(r => r.RuleId));
        Assert.Equal([503, 503, 200], proxy.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task RuleMatchesOnlyItsMethodAndPath()
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);
        var rule = proxy.AddRule(FaultRule.Status(500, "/manifests/", "HEAD"));

        using var get = await client.GetAsync("v2/");
        using var otherMethod = await client.GetAsync($"v2/{Repository}/manifests/latest");
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{Repository}/manifests/latest"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherMethod.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, head.StatusCode);
        Assert.Equal(1, proxy.Hits(rule));
    }

    [Fact]
    public async Task DropAfterBytesSendsThatMuchOfTheBodyThenClosesTheConnection()
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);
        var bytes = TestBlobs.Random(100_000, seed: 3);
        var digest = await TestBlobs.PushAsync(client, Repository, bytes);
        proxy.AddRule(FaultRule.DropAfterBytes(1000, "/blobs/sha256:", "GET", times: 1));

        using var response = await client.GetAsync(TestBlobs.BlobPath(Repository, digest), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        var received = new MemoryStream();
        await using var body = await response.Content.ReadAsStreamAsync();
        await Assert.ThrowsAnyAsync<IOException>(() => body.CopyToAsync(received));

        Assert.Equal(bytes.AsSpan(0, 1000).ToArray(), received.ToArray());
        Assert.Equal(bytes, await client.GetByteArrayAsync(TestBlobs.BlobPath(Repository, digest)));
    }

    [Fact]
    public async Task DisconnectResetsTheConnectionWithoutAnAnswer()
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);
        proxy.AddRule(FaultRule.Disconnect("^/v2/$", times: 1));

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("v2/"));
        using var after = await client.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionReset, Assert.IsType<System.Net.Sockets.SocketException>(failure.InnerException?.InnerException).SocketErrorCode);
        Assert.Equal([0, 200], proxy.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task TrickleSendsTheWholeBodyInSmallSlices()
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);
        var bytes = TestBlobs.Random(8000, seed: 4);
        var digest = await TestBlobs.PushAsync(client, Repository, bytes);
        proxy.AddRule(FaultRule.Trickle(20_000, "/blobs/", "GET"));

        using var response = await client.GetAsync(TestBlobs.BlobPath(Repository, digest), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[65536];
        var reads = new List<int>();
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            reads.Add(read);
            received.Write(buffer, 0, read);
        }

        Assert.Equal(bytes, received.ToArray());
        Assert.All(reads, r => Assert.True(r <= 2000, $"a read returned {r} bytes, more than one 2000-byte slice"));
        Assert.True(reads.Count >= 4);
    }

    [Fact]
    public async Task CorruptBodyKeepsTheLengthButChangesTheContent()
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);
        var bytes = TestBlobs.Random(5000, seed: 5);
        var digest = await TestBlobs.PushAsync(client, Repository, bytes);
        proxy.AddRule(FaultRule.CorruptBody("/blobs/", "GET", times: 1));

        var corrupted = await client.GetByteArrayAsync(TestBlobs.BlobPath(Repository, digest));
        var intact = await client.GetByteArrayAsync(TestBlobs.BlobPath(Repository, digest));

        Assert.Equal(bytes.Length, corrupted.Length);
        Assert.NotEqual(digest, TestBlobs.DigestOf(corrupted));
        Assert.Equal(bytes[1..], corrupted[1..]);
        Assert.Equal(bytes, intact);
    }

    [Fact]
    public async Task RedirectToSendsTheClientToAnotherHostThatRecordsItsAuthorization()
    {
        await using var proxy = await StartProxyAsync();
        await using var other = await FaultProxy.StartAsync((await shared.GetAsync()).BaseUri, IPAddress.Parse("127.0.0.2"));
        using var client = ClientFor(proxy);
        var bytes = TestBlobs.Random(4000, seed: 6);
        var digest = await TestBlobs.PushAsync(client, Repository, bytes);
        proxy.AddRule(FaultRule.Redirect(other.BaseUri, "/blobs/sha256:", "GET"));

        using var redirect = await client.GetAsync(TestBlobs.BlobPath(Repository, digest));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.Equal(other.Host, location.Authority);
        Assert.Equal("/" + TestBlobs.BlobPath(Repository, digest), location.AbsolutePath);

        using var anonymous = await client.GetAsync(location);
        using var withAuthorization = new HttpRequestMessage(HttpMethod.Get, location);
        withAuthorization.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "test-token");
        using var authorized = await client.SendAsync(withAuthorization);

        Assert.Equal(bytes, await anonymous.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        Assert.NotEqual(proxy.Host, other.Host);
        Assert.Equal([false, true], other.Requests.Select(r => r.HasAuthorization));
        Assert.Equal("Bearer test-token", other.Requests[1].Authorization);
    }

    [Fact]
    public async Task IgnoreRangeAnswersARangeRequestWithTheWholeBody()
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);
        var bytes = TestBlobs.Random(3000, seed: 7);
        var digest = await TestBlobs.PushAsync(client, Repository, bytes);

        using var honoured = await GetRangeAsync(client, digest);
        proxy.AddRule(FaultRule.IgnoreRange("/blobs/", "GET"));
        using var ignored = await GetRangeAsync(client, digest);

        Assert.Equal(HttpStatusCode.PartialContent, honoured.StatusCode);
        Assert.Equal(bytes[100..200], await honoured.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, ignored.StatusCode);
        Assert.Equal(bytes, await ignored.Content.ReadAsByteArrayAsync());
        Assert.All(proxy.Requests.Where(r => r.Method == "GET"), r => Assert.Equal("bytes=100-199", r.Range));
    }

    [Fact]
    public async Task AddHeadersAddsToTheRegistryAnswer()
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);
        proxy.AddRule(FaultRule.AddHeaders(new Dictionary<string, string> { ["Warning"] = "299 - \"first\"\n299 - \"second\"" }, "^/v2/$"));

        using var response = await client.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["\"first\"", "\"second\""], response.Headers.Warning.Select(w => w.Text));
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Fact]
    public async Task ControlEndpointAddsRulesAndReturnsTheLogWithoutLoggingItself()
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);
        const string rules = """[{"fault":"status","statusCode":429,"path":"^/v2/$","times":1,"headers":{"Retry-After":"3"}}]""";

        using var added = await client.PostAsync("_fault/rules", new StringContent(rules, Encoding.UTF8, "application/json"));
        using var limited = await client.GetAsync("v2/");
        using var passed = await client.GetAsync("v2/");
        var log = await client.GetStringAsync("_fault/requests");
        var ruleList = await client.GetStringAsync("_fault/rules");

        Assert.Equal("{\"ids\":[1]}", await added.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        Assert.Equal(2, proxy.Requests.Count);
        using var logJson = System.Text.Json.JsonDocument.Parse(log);
        Assert.Equal([429, 200], logJson.RootElement.EnumerateArray().Select(e => e.GetProperty("status").GetInt32()));
        Assert.Equal("Status", logJson.RootElement[0].GetProperty("fault").GetString());
        Assert.Contains("\"hits\":1", ruleList, StringComparison.Ordinal);

        using var cleared = await client.DeleteAsync("_fault/requests");
        Assert.Empty(proxy.Requests);
    }

    [Theory]
    [InlineData("""{"fault":"status"}""")]
    [InlineData("""{"fault":"status","statusCode":503,"path":"("}""")]
    [InlineData("""{"fault":"redirectTo"}""")]
    [InlineData("""{"fault":"nonsense"}""")]
    [InlineData("""not json""")]
    public async Task ControlEndpointRefusesABadRule(string json)
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);

        using var response = await client.PostAsync("_fault/rules", new StringContent(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);
        using var stillForwarding = await client.GetAsync("v2/");
        Assert.Equal(HttpStatusCode.OK, stillForwarding.StatusCode);
    }

    [Fact]
    public async Task UnknownControlPathIsNotFound()
    {
        await using var proxy = await StartProxyAsync();
        using var client = ClientFor(proxy);

        using var response = await client.GetAsync("_fault/nothing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task StartRefusesANonHttpUpstream()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => FaultProxy.StartAsync(new Uri("https://127.0.0.1:1/")));
    }

    private static async Task<HttpResponseMessage> GetRangeAsync(HttpClient client, string digest)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, TestBlobs.BlobPath(Repository, digest));
        request.Headers.Range = new RangeHeaderValue(100, 199);
        return await client.SendAsync(request);
    }

    private async Task<FaultProxy> StartProxyAsync() => await FaultProxy.StartAsync((await shared.GetAsync()).BaseUri);

    private static HttpClient ClientFor(FaultProxy proxy) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = proxy.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
}
