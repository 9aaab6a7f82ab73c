using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Client;

/// <summary>The client against the real registry behind the fault proxy: every fault, its outcome and the requests it took.</summary>
[Collection(RegistryCollection.Name)]
public sealed class FaultTests(SharedRegistry shared) : IAsyncLifetime
{
    private const string BlobGets = "/blobs/sha256:";

    private readonly TestRegistryClient _client = new();
    private readonly TempDirectory _temp = new();
    private RegistryFixture _registry = null!;
    private FaultProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _registry = await shared.GetAsync();
        _proxy = await FaultProxy.StartAsync(_registry.BaseUri);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _client.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task ADroppedBlobDownloadResumesWithARangeRequest()
    {
        var (repository, layer, content) = await LayerAsync();
        _proxy.AddRule(FaultRule.DropAfterBytes(100_000, BlobGets, "GET", times: 1));

        var read = await ReadAllAsync(repository, layer);

        Assert.Equal(content, read);
        Assert.Equal([(null, FaultKind.DropAfterBytes), ($"bytes=100000-{layer.Size - 1}", (FaultKind?)null)],
            BlobRequests().Select(r => (r.Range, r.Fault)));
        Assert.Equal(206, BlobRequests()[^1].Status);
    }

    [Fact]
    public async Task DropsThatMakeProgressKeepResumingBeyondTheRetryCount()
    {
        var (repository, layer, content) = await LayerAsync();
        _proxy.AddRule(FaultRule.DropAfterBytes(70_000, BlobGets, "GET", times: 4));

        var read = await ReadAllAsync(repository, layer);

        Assert.Equal(content, read);
        Assert.Equal([null, "bytes=70000-", "bytes=140000-", "bytes=210000-", "bytes=280000-"],
            BlobRequests().Select(r => r.Range?[..(r.Range.IndexOf('-') + 1)]));
    }

    [Fact]
    public async Task DropsWithoutProgressGiveUpAfterTheRetryCount()
    {
        var (repository, layer, _) = await LayerAsync();
        _proxy.AddRule(FaultRule.DropAfterBytes(1_000, BlobGets, "GET", times: 1));
        _proxy.AddRule(FaultRule.DropAfterBytes(0, BlobGets, "GET"));

        var error = await Assert.ThrowsAsync<UnavailableException>(() => ReadAllAsync(repository, layer));

        Assert.Contains("1000 of", error.Message);
        // The first request plus MaximumRetryCount (2) reopenings that brought nothing.
        Assert.Equal([null, $"bytes=1000-{layer.Size - 1}", $"bytes=1000-{layer.Size - 1}"], BlobRequests().Select(r => r.Range));
    }

    [Fact]
    public async Task AWholeBodyAnswerToARangeRequestHasItsPrefixDiscarded()
    {
        var (repository, layer, content) = await LayerAsync();
        _proxy.AddRule(FaultRule.DropAfterBytes(50_000, BlobGets, "GET", times: 1));
        _proxy.AddRule(FaultRule.IgnoreRange(BlobGets, "GET"));

        var read = await ReadAllAsync(repository, layer);
        await using var stream = await _client.Client.OpenBlobAsync(repository, TestRegistryClient.DescriptorOf(layer));
        stream.Position = layer.Size - 10;
        var tail = new byte[10];
        await stream.ReadExactlyAsync(tail);

        Assert.Equal(content, read);
        Assert.Equal(content[^10..], tail);
        Assert.Equal([(null, 200), ($"bytes=50000-{layer.Size - 1}", 200), (null, 200), ($"bytes={layer.Size - 10}-{layer.Size - 1}", 200)],
            BlobRequests().Select(r => (r.Range, r.Status)));
    }

    [Fact]
    public async Task ACorruptBlobIsNeverCommittedToTheStore()
    {
        var (repository, layer, _) = await LayerAsync();
        _proxy.AddRule(FaultRule.CorruptBody(BlobGets, "GET"));
        var descriptor = TestRegistryClient.DescriptorOf(layer);
        var store = new LocalContentStore(_temp.Path, new FileLabelStore(_temp.Path));

        await using (var remote = await _client.Client.OpenBlobAsync(repository, descriptor))
        {
            var error = await Assert.ThrowsAnyAsync<ClassifiedException>(() => ContentHelpers.WriteBlobAsync(store, "corrupt", remote, descriptor));
            Assert.Equal(ErrorIds.DigestMismatch, error.ErrorId);
        }

        Assert.True(Errors.IsNotFound(await Record.ExceptionAsync(() => store.InfoAsync(descriptor.Digest))));
        Assert.Single(BlobRequests());
    }

    [Fact]
    public async Task ACorruptManifestIsDigestMismatch()
    {
        var pushed = await PushedLayouts.GetAsync(_registry, LayoutScenario.MultiPlatform);
        _proxy.AddRule(FaultRule.CorruptBody("/manifests/", "GET"));
        var repository = Through(pushed);

        var fetch = await Assert.ThrowsAsync<FailedPreconditionException>(() =>
            _client.Client.FetchManifestAsync(repository, TestRegistryClient.DescriptorOf(pushed.Layout.Top)));
        _proxy.AddRule(FaultRule.Status(405, "/manifests/", "HEAD"));
        var resolve = await Assert.ThrowsAsync<FailedPreconditionException>(() =>
            _client.Client.ResolveAsync(repository.WithDigest(pushed.Layout.Digest)));

        Assert.Equal((ErrorIds.DigestMismatch, ErrorIds.DigestMismatch), (fetch.ErrorId, resolve.ErrorId));
    }

    [Fact]
    public async Task AHeadThatIsRefusedIsFollowedByAGetWhoseBodyIsVerified()
    {
        var pushed = await PushedLayouts.GetAsync(_registry, LayoutScenario.DockerMultiPlatform);
        _proxy.AddRule(FaultRule.Status(405, "/manifests/", "HEAD"));

        var resolved = await _client.Client.ResolveAsync(Through(pushed).WithTag(PushedLayouts.Tag));

        Assert.Equal((pushed.Layout.Digest, pushed.Layout.MediaType, pushed.Layout.Size),
            (resolved.Descriptor.Digest.ToString(), resolved.Descriptor.MediaType, resolved.Descriptor.Size));
        Assert.Equal([("HEAD", 405), ("GET", 200)], _proxy.Requests.Select(r => (r.Method, r.Status)));
    }

    [Fact]
    public async Task AHeadWithoutDigestOrLengthIsFollowedByAGet()
    {
        var pushed = await PushedLayouts.GetAsync(_registry, LayoutScenario.SinglePlatform);
        _proxy.AddRule(FaultRule.Status(200, "/manifests/", "HEAD", contentType: MediaTypes.OciManifest));

        var resolved = await _client.Client.ResolveAsync(Through(pushed).WithTag(PushedLayouts.Tag));

        Assert.Equal(pushed.Layout.Digest, resolved.Descriptor.Digest.ToString());
        Assert.Equal(["HEAD", "GET"], _proxy.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task ADigestReferenceMustBeWhatTheRegistryReports()
    {
        var pushed = await PushedLayouts.GetAsync(_registry, LayoutScenario.SinglePlatform);
        var other = Digest.FromBytes("other"u8);
        _proxy.AddRule(FaultRule.Status(200, "/manifests/", "HEAD", contentType: MediaTypes.OciManifest, body: "{}",
            headers: new Dictionary<string, string> { ["Docker-Content-Digest"] = other.ToString() }));

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => _client.Client.ResolveAsync(Through(pushed).WithDigest(pushed.Layout.Digest)));

        Assert.Equal(ErrorIds.DigestMismatch, error.ErrorId);
        Assert.Contains(other.ToString(), error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AManifestOver4MiBIsRefusedBeforeItsBodyIsRead(bool headRefused)
    {
        var pushed = await PushedLayouts.GetAsync(_registry, LayoutScenario.SinglePlatform);
        if (headRefused)
        {
            _proxy.AddRule(FaultRule.Status(405, "/manifests/", "HEAD"));
        }

        _proxy.AddRule(FaultRule.Status(200, "/manifests/", contentType: MediaTypes.OciManifest, body: new string(' ', ManifestParser.MaxManifestSize + 1),
            headers: new Dictionary<string, string> { ["Docker-Content-Digest"] = Digest.FromBytes("big"u8).ToString() }));

        var error = await Assert.ThrowsAsync<ResourceExhaustedException>(() => _client.Client.ResolveAsync(Through(pushed).WithTag("big")));

        Assert.Equal(ErrorIds.ManifestTooLarge, error.ErrorId);
        Assert.Equal(headRefused ? ["HEAD", "GET"] : ["HEAD"], _proxy.Requests.Select(r => r.Method));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Schema1IsNotSupported(bool head)
    {
        var pushed = await PushedLayouts.GetAsync(_registry, LayoutScenario.SinglePlatform);
        if (!head)
        {
            _proxy.AddRule(FaultRule.Status(405, "/manifests/", "HEAD"));
        }

        _proxy.AddRule(FaultRule.Status(200, "/manifests/", contentType: head ? MediaTypes.DockerSchema1SignedManifest : "application/json",
            body: "{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"old\",\"fsLayers\":[],\"history\":[],\"signatures\":[]}"));

        var error = await Assert.ThrowsAsync<UnimplementedException>(() => _client.Client.ResolveAsync(Through(pushed).WithTag("old")));

        Assert.Equal(ErrorIds.UnsupportedSchema1, error.ErrorId);
        Assert.Contains("schema 1 is not supported", error.Message);
    }

    [Fact]
    public async Task AMirrorThatLacksTheManifestFallsBackToTheRegistry()
    {
        var pushed = await PushedLayouts.GetAsync(_registry, LayoutScenario.SinglePlatform);
        _proxy.AddRule(FaultRule.Status(404, "/manifests/"));
        using var client = new TestRegistryClient(hosts: new StaticHosts(
            StaticHosts.Host(_proxy.Host, _registry.Host, mirror: true), StaticHosts.Host(_registry.Host, _registry.Host)));

        var resolved = await client.Client.ResolveAsync(pushed.Reference.WithTag(PushedLayouts.Tag));

        Assert.Equal(pushed.Layout.Digest, resolved.Descriptor.Digest.ToString());
        Assert.Equal([(_proxy.Host, 404), (_registry.Host, 200)], client.Requests.Select(r => (r.Url.Authority, r.Status ?? 0)));
    }

    [Fact]
    public async Task AMirrorThatServesCorruptContentFallsBackToTheRegistry()
    {
        var pushed = await PushedLayouts.GetAsync(_registry, LayoutScenario.MultiPlatform);
        _proxy.AddRule(FaultRule.CorruptBody("/manifests/", "GET"));
        using var client = new TestRegistryClient(hosts: new StaticHosts(
            StaticHosts.Host(_proxy.Host, _registry.Host, mirror: true), StaticHosts.Host(_registry.Host, _registry.Host)));

        var fetched = await client.Client.FetchManifestAsync(pushed.Reference, TestRegistryClient.DescriptorOf(pushed.Layout.Top));

        Assert.Equal(pushed.Bytes(pushed.Layout.Top), fetched.Body);
        Assert.Equal([(_proxy.Host, 200), (_registry.Host, 200)], client.Requests.Select(r => (r.Url.Authority, r.Status ?? 0)));
        Assert.Contains(client.Log.Lines, l => l.Contains("the registry sent content with digest", StringComparison.Ordinal)
            && l.Contains($"trying http://{_registry.Host}/v2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TagPagesFollowTheLinkHeader()
    {
        var repository = await TaggedRepositoryAsync();
        _proxy.AddRule(FaultRule.AddHeaders(new Dictionary<string, string> { ["Link"] = $"</v2/{repository.Path}/tags/list?n=2&last=bravo>; rel=\"next\"" },
            "/tags/list\\?n=2$", "GET", times: 1));
        _proxy.AddRule(FaultRule.AddHeaders(new Dictionary<string, string> { ["Link"] = $"<{_proxy.BaseUri}v2/{repository.Path}/tags/list?n=2&last=delta>; rel=\"next\"" },
            "last=bravo", "GET", times: 1));

        var tags = await _client.Client.ListTagsAsync(repository, 2).ToListAsync();

        Assert.Equal([$"/v2/{repository.Path}/tags/list?n=2", $"/v2/{repository.Path}/tags/list?n=2&last=bravo", $"/v2/{repository.Path}/tags/list?n=2&last=delta"],
            _proxy.Requests.Select(r => r.Target));
        // distribution 2.8 ignores n and last and answers every page with all five tags: three pages, each yielded in turn.
        Assert.Equal(15, tags.Count);
        Assert.Equal(FiveTags, tags.Take(5).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ALinkBackToAPageAlreadyReadIsAnError()
    {
        var repository = await TaggedRepositoryAsync();
        _proxy.AddRule(FaultRule.AddHeaders(new Dictionary<string, string> { ["Link"] = $"</v2/{repository.Path}/tags/list?last=x>; rel=\"next\"" }, "/tags/list"));

        var error = await Assert.ThrowsAsync<UnknownException>(async () => await _client.Client.ListTagsAsync(repository).ToListAsync());

        Assert.Equal(ErrorIds.RegistryError, error.ErrorId);
        // The first page links to ?last=x, which links to itself: refused before it is asked again.
        Assert.Equal(["/tags/list", "/tags/list?last=x"], _proxy.Requests.Select(r => r.Target[r.Target.IndexOf("/tags/list", StringComparison.Ordinal)..]));
    }

    [Fact]
    public async Task TheRegistrysChunkMinimumTurnsTheUploadIntoChunks()
    {
        var repository = ImageReference.Parse($"{_proxy.Host}/client/chunk-min-{Guid.NewGuid().ToString("N")[..8]}");
        _proxy.AddRule(FaultRule.AddHeaders(new Dictionary<string, string> { ["OCI-Chunk-Min-Length"] = "30000" }, "/blobs/uploads/$", "POST"));
        var (content, descriptor) = PushBlobTests.Blob(70_000, seed: 70);

        var result = await _client.Client.PushBlobAsync(repository, descriptor, _ => Task.FromResult<Stream>(new MemoryStream(content)));

        Assert.Equal(BlobPushOutcome.Uploaded, result.Outcome);
        Assert.Equal(["HEAD", "POST", "PATCH", "PATCH", "PATCH", "PUT"], _proxy.Requests.Select(r => r.Method));
        Assert.Equal(["0-29999", "30000-59999", "60000-69999"],
            _proxy.Requests.Where(r => r.Method == "PATCH").Select(r => r.Headers.GetValueOrDefault("Content-Range")));
        await using var stream = await _client.Client.OpenBlobAsync(repository, descriptor);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task A503OnTheUploadStartIsRetriedByTheTransport()
    {
        var repository = ImageReference.Parse($"{_proxy.Host}/client/start-503-{Guid.NewGuid().ToString("N")[..8]}");
        var unavailable = _proxy.AddRule(FaultRule.Status(503, "/blobs/uploads/$", "POST", times: 2));
        var (content, descriptor) = PushBlobTests.Blob(5_000, seed: 74);

        var result = await _client.Client.PushBlobAsync(repository, descriptor, _ => Task.FromResult<Stream>(new MemoryStream(content)));

        Assert.Equal(BlobPushOutcome.Uploaded, result.Outcome);
        Assert.Equal(2, _proxy.Hits(unavailable));
        // Resent by the transport: one existence check, the POST three times, one upload.
        Assert.Equal([("HEAD", 404), ("POST", 503), ("POST", 503), ("POST", 202), ("PUT", 201)], _proxy.Requests.Select(r => (r.Method, r.Status)));
    }

    [Fact]
    public async Task AnUploadStartThatStaysUnavailableEndsUnavailableAfterTheRetryCount()
    {
        var repository = ImageReference.Parse($"{_proxy.Host}/client/start-down-{Guid.NewGuid().ToString("N")[..8]}");
        _proxy.AddRule(FaultRule.Status(503, "/blobs/uploads/$", "POST"));
        var (content, descriptor) = PushBlobTests.Blob(5_000, seed: 75);

        var error = await Assert.ThrowsAsync<UnavailableException>(() =>
            _client.Client.PushBlobAsync(repository, descriptor, _ => Task.FromResult<Stream>(new MemoryStream(content))));

        Assert.Equal(ErrorClass.Unavailable, error.Class);
        Assert.Equal([("HEAD", 404), ("POST", 503), ("POST", 503), ("POST", 503)], _proxy.Requests.Select(r => (r.Method, r.Status)));
    }

    [Fact]
    public async Task AFailedUploadCancelsItsSession()
    {
        var repository = ImageReference.Parse($"{_proxy.Host}/client/cancel-{Guid.NewGuid().ToString("N")[..8]}");
        _proxy.AddRule(FaultRule.Status(500, "/blobs/uploads/.+digest=", "PUT",
            contentType: "application/json", body: "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"disk full\"}]}"));
        var (content, descriptor) = PushBlobTests.Blob(5_000, seed: 71);

        var error = await Assert.ThrowsAsync<InternalException>(() =>
            _client.Client.PushBlobAsync(repository, descriptor, _ => Task.FromResult<Stream>(new MemoryStream(content))));

        Assert.Contains("disk full", error.Message);
        // Not idempotent: the failed PUT is not resent; the session is deleted.
        Assert.Equal([("HEAD", 404), ("POST", 202), ("PUT", 500), ("DELETE", 204)], _proxy.Requests.Select(r => (r.Method, r.Status)));
    }

    [Fact]
    public async Task ARegistryThatRefusesDeletesIsNotImplemented()
    {
        var repository = await TaggedRepositoryAsync();
        _proxy.AddRule(FaultRule.Status(405, "/manifests/", "DELETE", contentType: "application/json",
            body: "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"The operation is unsupported.\"}]}"));
        var digest = Digest.Parse((await _client.Client.ResolveAsync(repository.WithTag("alpha"))).Descriptor.Digest.ToString());

        var byDigest = await Assert.ThrowsAsync<UnimplementedException>(() => _client.Client.DeleteManifestAsync(repository, digest));
        var byTag = await Assert.ThrowsAsync<UnimplementedException>(() => _client.Client.DeleteTagAsync(repository, "alpha"));

        Assert.Contains("does not allow deletes", byDigest.Message);
        Assert.Equal("The operation is unsupported.", byDigest.Details);
        Assert.Equal($"{repository.FullName}@{digest}", byDigest.Target);
        Assert.Contains("does not allow deletes", byTag.Message);
        Assert.NotNull(await _client.Client.TryGetManifestAsync(repository, "alpha"));
    }

    [Fact]
    public async Task RedirectedBlobDownloadsAlsoResumeThroughTheRedirect()
    {
        var (repository, layer, content) = await LayerAsync();
        _proxy.AddRule(FaultRule.Redirect(_registry.BaseUri, BlobGets, "GET"));
        await using var stream = await _client.Client.OpenBlobAsync(repository, TestRegistryClient.DescriptorOf(layer));
        stream.Position = 1000;
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy);

        Assert.Equal(content[1000..], copy.ToArray());
        Assert.Equal([(null, 307), ($"bytes=1000-{layer.Size - 1}", 307)], BlobRequests().Select(r => (r.Range, r.Status)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AReferrersApiAnswerIsFilteredUnlessTheRegistrySaysItFiltered(bool registryFiltered)
    {
        // distribution 2.8 has no referrers API: the proxy answers for it, as a registry that has one would.
        var pushed = await PushedLayouts.GetAsync(_registry, LayoutScenario.SinglePlatform);
        var subject = Digest.Parse(pushed.Layout.Digest);
        var sbom = Descriptor.FromContent(MediaTypes.OciManifest, "sbom"u8);
        var signature = Descriptor.FromContent(MediaTypes.OciManifest, "signature"u8);
        static string Entry(Descriptor d, string type) => $"{{\"mediaType\":\"{d.MediaType}\",\"digest\":\"{d.Digest}\",\"size\":{d.Size},\"artifactType\":\"{type}\"}}";
        var index = $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[{Entry(sbom, "application/spdx+json")},{Entry(signature, "application/vnd.example.sig")}]}}";
        _proxy.AddRule(FaultRule.Status(200, $"/referrers/{subject}", "GET", contentType: MediaTypes.OciIndex, body: index,
            headers: registryFiltered ? new Dictionary<string, string> { ["OCI-Filters-Applied"] = "artifactType" } : null));

        var all = await _client.Client.ListReferrersAsync(Through(pushed), subject).ToListAsync();
        var sboms = await _client.Client.ListReferrersAsync(Through(pushed), subject, "application/spdx+json").ToListAsync();

        Assert.Equal([sbom.Digest, signature.Digest], all.Select(d => d.Digest));
        // A registry that says it filtered is believed (here it did not, so both come back); otherwise the client filters.
        Assert.Equal(registryFiltered ? [sbom.Digest, signature.Digest] : [sbom.Digest], sboms.Select(d => d.Digest));
        Assert.Equal([$"/v2/{pushed.Repository}/referrers/{subject}", $"/v2/{pushed.Repository}/referrers/{subject}?artifactType=application%2Fspdx%2Bjson"],
            _proxy.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task CancellingABlobReadStopsWithoutReconnecting()
    {
        var (repository, layer, content) = await LayerAsync();
        _proxy.AddRule(FaultRule.Trickle(200_000, BlobGets, "GET"));
        using var cancel = new CancellationTokenSource();
        await using var stream = await _client.Client.OpenBlobAsync(repository, TestRegistryClient.DescriptorOf(layer), cancel.Token);
        var first = new byte[1000];
        await stream.ReadExactlyAsync(first, cancel.Token);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.ReadExactlyAsync(new byte[layer.Size - 1000], cancel.Token));
        Assert.Equal(content[..1000], first);
        Assert.Single(BlobRequests());
    }

    [Fact]
    public async Task CancellingAnUploadDeletesItsSession()
    {
        var repository = ImageReference.Parse($"{_proxy.Host}/client/cancelled-{Guid.NewGuid().ToString("N")[..8]}");
        var (content, descriptor) = PushBlobTests.Blob(50_000, seed: 73);
        using var cancel = new CancellationTokenSource();
        var source = new StallingStream(content, stallAfter: 10_000);

        var push = _client.Client.PushBlobAsync(repository, descriptor, _ => Task.FromResult<Stream>(source), cancellationToken: cancel.Token);
        await source.Stalled.WaitAsync(TimeSpan.FromMinutes(2));
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => push);
        // The proxy logs the cut-off PUT when its connection ends, which may be after the DELETE.
        Assert.Equal(["DELETE", "HEAD", "POST", "PUT"], _proxy.Requests.Select(r => r.Method).Order(StringComparer.Ordinal));
        Assert.Equal(["HEAD", "POST", "PUT", "DELETE"], _client.Requests.Select(r => r.Method));
        Assert.Null(await _client.Client.TryGetBlobAsync(repository, descriptor.Digest));
    }

    /// <summary>Content that gives its first bytes, then waits for cancellation (a source stuck mid-upload).</summary>
    private sealed class StallingStream(byte[] content, int stallAfter) : MemoryStream(content, writable: false)
    {
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Stalled => _stalled.Task;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= stallAfter)
            {
                _stalled.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, stallAfter - Position)], cancellationToken);
        }
    }

    private static readonly string[] FiveTags = ["alpha", "bravo", "charlie", "delta", "echo"];

    private ImageReference Through(PushedLayout pushed) => ImageReference.Parse($"{_proxy.Host}/{pushed.Repository}");

    private async Task<(ImageReference Repository, LayoutBlob Layer, byte[] Content)> LayerAsync()
    {
        var pushed = await PushedLayouts.GetAsync(_registry, LayoutScenario.Layers);
        var layer = pushed.Layout.OfKind(BlobKind.Layer).First();
        Assert.True(layer.Size > 300_000, "the layer must be large enough for the drop offsets used here");
        return (Through(pushed), layer, pushed.Bytes(layer));
    }

    private async Task<byte[]> ReadAllAsync(ImageReference repository, LayoutBlob layer)
    {
        await using var stream = await _client.Client.OpenBlobAsync(repository, TestRegistryClient.DescriptorOf(layer));
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private IReadOnlyList<FaultRequest> BlobRequests() => _proxy.Requests.Where(r => r.Target.Contains(BlobGets, StringComparison.Ordinal)).ToList();

    private async Task<ImageReference> TaggedRepositoryAsync()
    {
        var direct = TestRegistryClient.NewRepository(_registry.Host, "fault-tags");
        var (descriptor, body) = await PushManifestTests.PushImageAsync(_client.Client, direct, seed: 72);
        foreach (var tag in FiveTags)
        {
            await _client.Client.PushManifestAsync(direct, descriptor, body, tag);
        }

        return ImageReference.Parse($"{_proxy.Host}/{direct.Path}");
    }
}
