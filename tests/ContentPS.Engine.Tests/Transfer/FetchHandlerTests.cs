using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Client;
using ContentPS.Engine.Transfer;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer;

/// <summary>The fetch handler against the real registry behind the fault proxy: requests made, what the store holds after.</summary>
[Collection(RegistryCollection.Name)]
public sealed class FetchHandlerTests(SharedRegistry shared) : ProxiedStoreTests(shared)
{
    private const string BlobGets = "/blobs/sha256:";

    private readonly RecordingTracker _tracker = new();

    [Fact]
    public async Task FetchesABlobInOneRequestAndCommitsIt()
    {
        var (fetch, layer, content) = await LayerAsync();

        var outcome = await fetch.FetchAsync(layer);

        Assert.Equal(FetchOutcome.Fetched, outcome);
        Assert.Equal(content, await ReadStoredAsync(layer.Digest));
        var request = Assert.Single(Proxy.Requests);
        Assert.Equal(("GET", null, 200), (request.Method, request.Range, request.Status));
        Assert.Empty(await Store.ListStatusesAsync());
        Assert.Equal(["Waiting", "Downloading " + layer.Size, "Done"], _tracker.StatesFor(layer.Digest));
    }

    [Fact]
    public async Task PresentContentCostsNoRequest()
    {
        var (fetch, layer, _) = await LayerAsync();
        await fetch.FetchAsync(layer);
        Proxy.ClearRequests();

        var outcome = await fetch.FetchAsync(layer);

        Assert.Equal(FetchOutcome.AlreadyPresent, outcome);
        Assert.Empty(Proxy.Requests);
        Assert.Equal("AlreadyPresent", _tracker.CallsFor(layer.Digest)[^1]);
    }

    [Fact]
    public async Task APartialIngestResumesWithOneRangeRequestFromItsOffset()
    {
        var (fetch, layer, content) = await LayerAsync();
        var half = content.Length / 2;
        await using (var partial = await Store.OpenWriterAsync(FetchHandler.IngestRef(layer), layer))
        {
            await partial.WriteAsync(content.AsMemory(0, half));
        }

        var outcome = await fetch.FetchAsync(layer);

        Assert.Equal(FetchOutcome.Resumed, outcome);
        Assert.Equal(content, await ReadStoredAsync(layer.Digest));
        var request = Assert.Single(Proxy.Requests);
        Assert.Equal(($"bytes={half}-{layer.Size - 1}", 206), (request.Range, request.Status));
        Assert.Equal(["Waiting", $"Resumed {half}", $"Downloading {layer.Size}", "Done"], _tracker.StatesFor(layer.Digest));
    }

    [Fact]
    public async Task ACompleteIngestIsCommittedWithoutARequest()
    {
        var (fetch, layer, content) = await LayerAsync();
        await using (var partial = await Store.OpenWriterAsync(FetchHandler.IngestRef(layer), layer))
        {
            await partial.WriteAsync(content);
        }

        Assert.Equal(FetchOutcome.Resumed, await fetch.FetchAsync(layer));

        Assert.Empty(Proxy.Requests);
        Assert.Equal(content, await ReadStoredAsync(layer.Digest));
    }

    [Fact]
    public async Task CorruptBytesFailWithNothingCommittedAndNoIngestLeftLocked()
    {
        var (fetch, layer, _) = await LayerAsync();
        Proxy.AddRule(FaultRule.CorruptBody(BlobGets, "GET"));

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => fetch.FetchAsync(layer));

        Assert.Equal(ErrorIds.DigestMismatch, error.ErrorId);
        Assert.Contains(layer.Digest.ToString(), error.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.InfoAsync(layer.Digest));
        Assert.Empty(await Store.ListStatusesAsync());
        // The ref is free: a writer opens at once, from zero.
        await using var writer = await Store.OpenWriterAsync(FetchHandler.IngestRef(layer), layer);
        Assert.Equal(0, writer.Status().Offset);
        Assert.Equal($"Failed {ErrorClass.FailedPrecondition}", _tracker.CallsFor(layer.Digest)[^1]);
    }

    [Fact]
    public async Task AConnectionDroppedMidBodyResumesAndSucceeds()
    {
        var (fetch, layer, content) = await LayerAsync();
        Proxy.AddRule(FaultRule.DropAfterBytes(100_000, BlobGets, "GET", times: 1));

        Assert.Equal(FetchOutcome.Fetched, await fetch.FetchAsync(layer));

        Assert.Equal(content, await ReadStoredAsync(layer.Digest));
        Assert.Equal([null, $"bytes=100000-{layer.Size - 1}"], Proxy.Requests.Select(r => r.Range));
    }

    [Fact]
    public async Task TwoConcurrentFetchesOfOneBlobDownloadItOnce()
    {
        var (fetch, layer, content) = await LayerAsync();
        var other = new FetchHandler(Store, Client.Client, fetch.Repository);
        // A slow answer keeps the first writer's lock held while the second one asks for it.
        Proxy.AddRule(FaultRule.Delay(300, BlobGets, "GET"));

        var outcomes = await Task.WhenAll(Task.Run(() => fetch.FetchAsync(layer)), Task.Run(() => other.FetchAsync(layer)));

        Assert.Equal([FetchOutcome.Fetched, FetchOutcome.AlreadyPresent], outcomes.Order());
        Assert.Single(Proxy.Requests);
        Assert.Equal(content, await ReadStoredAsync(layer.Digest));
        Assert.Empty(await Store.ListStatusesAsync());
    }

    [Fact]
    public async Task AManifestIsStoredWithItsExactBytesFromTheManifestEndpoint()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        var fetch = new FetchHandler(Store, Client.Client, Through(pushed), _tracker);
        var index = TestRegistryClient.DescriptorOf(pushed.Layout.Top);
        var manifest = TestRegistryClient.DescriptorOf(pushed.Layout.OfKind(BlobKind.Manifest).First());

        var result = await fetch.HandleAsync(new ImageNode(index), CancellationToken.None);
        await fetch.FetchAsync(manifest);

        Assert.Empty(result.Children);
        Assert.Equal(pushed.Bytes(pushed.Layout.Top), await ReadStoredAsync(index.Digest));
        Assert.Equal(pushed.Bytes(pushed.Layout.OfKind(BlobKind.Manifest).First()), await ReadStoredAsync(manifest.Digest));
        Assert.All(Proxy.Requests, r => Assert.Contains("/manifests/sha256:", r.Target));
        Assert.Equal(2, Proxy.Requests.Count);
    }

    [Fact]
    public async Task AMissingBlobIsNotFoundAndLeavesNothing()
    {
        var (fetch, _, _) = await LayerAsync();
        var missing = Descriptor.FromContent(MediaTypes.OciLayerGzip, "not in the registry"u8);

        var error = await Assert.ThrowsAsync<NotFoundException>(() => fetch.FetchAsync(missing));

        Assert.Equal(ErrorIds.BlobNotFound, error.ErrorId);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.InfoAsync(missing.Digest));
        Assert.Equal(["Waiting", "Downloading 0", $"Failed {ErrorClass.NotFound}"], _tracker.StatesFor(missing.Digest));
    }

    [Fact]
    public async Task AZeroSizeDescriptorThatIsNotTheEmptyBlobIsInvalidAndAsksNothing()
    {
        var (fetch, layer, _) = await LayerAsync();
        var wrong = new Descriptor { MediaType = layer.MediaType, Digest = layer.Digest, Size = 0 };

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => fetch.FetchAsync(wrong));

        Assert.Equal(ErrorIds.InvalidSize, error.ErrorId);
        Assert.Empty(Proxy.Requests);
        Assert.Empty(await Store.ListStatusesAsync());
    }

    [Fact]
    public async Task TheEmptyBlobAndEmbeddedDataNeedNoRequest()
    {
        var (fetch, _, _) = await LayerAsync();
        var empty = Descriptor.FromContent(MediaTypes.OciLayer, []);
        var embedded = Descriptor.FromContent(MediaTypes.OciEmpty, "{}"u8);
        embedded = new Descriptor { MediaType = embedded.MediaType, Digest = embedded.Digest, Size = embedded.Size, Data = "{}"u8.ToArray() };

        Assert.Equal(FetchOutcome.Fetched, await fetch.FetchAsync(empty));
        Assert.Equal(FetchOutcome.Fetched, await fetch.FetchAsync(embedded));

        Assert.Empty(Proxy.Requests);
        Assert.Empty(await ReadStoredAsync(empty.Digest));
        Assert.Equal("{}"u8.ToArray(), await ReadStoredAsync(embedded.Digest));
    }

    [Fact]
    public async Task EmbeddedDataThatDoesNotMatchItsDigestIsRefused()
    {
        var (fetch, _, _) = await LayerAsync();
        var digest = Descriptor.FromContent(MediaTypes.OciEmpty, "{}"u8).Digest;
        var lying = new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = digest, Size = 2, Data = "[]"u8.ToArray() };

        await Assert.ThrowsAsync<FailedPreconditionException>(() => fetch.FetchAsync(lying));

        await Assert.ThrowsAsync<NotFoundException>(() => Store.InfoAsync(digest));
    }

    [Theory]
    [InlineData(MediaTypes.OciIndex, "index-")]
    [InlineData(MediaTypes.DockerManifestList, "index-")]
    [InlineData(MediaTypes.OciManifest, "manifest-")]
    [InlineData(MediaTypes.DockerManifest, "manifest-")]
    [InlineData(MediaTypes.OciLayerGzip, "layer-")]
    [InlineData(MediaTypes.DockerForeignLayerGzip, "layer-")]
    [InlineData(MediaTypes.OciConfig, "config-")]
    [InlineData(MediaTypes.DockerConfig, "config-")]
    [InlineData("application/spdx+json", "unknown-")]
    public void TheIngestRefIsTheKindAndTheDigest(string mediaType, string prefix)
    {
        var descriptor = Descriptor.FromContent(mediaType, "x"u8);

        Assert.Equal(prefix + descriptor.Digest, FetchHandler.IngestRef(descriptor));
    }

    [Fact]
    public async Task BadArgumentsFailBeforeAnyRequest()
    {
        var (fetch, _, _) = await LayerAsync();
        var negative = new Descriptor { MediaType = MediaTypes.OciLayer, Digest = Descriptor.FromContent(MediaTypes.OciLayer, "x"u8).Digest, Size = -1 };

        await Assert.ThrowsAsync<ArgumentNullException>(() => fetch.FetchAsync(null!));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => fetch.FetchAsync(negative));
        Assert.Throws<ArgumentNullException>(() => new FetchHandler(null!, Client.Client, fetch.Repository));
        Assert.Empty(Proxy.Requests);
    }

    [Fact]
    public async Task TheClientOpensABlobAtAnOffsetWithOneRangeRequestAndRefusesOffsetsOutsideIt()
    {
        var (fetch, layer, content) = await LayerAsync();

        await using (var stream = await Client.Client.OpenBlobAsync(fetch.Repository, layer, 1000))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(content[1000..], copy.ToArray());
        }

        await using (var atEnd = await Client.Client.OpenBlobAsync(fetch.Repository, layer, layer.Size))
        {
            Assert.Equal(0, await atEnd.ReadAsync(new byte[8]));
        }

        await Assert.ThrowsAsync<OutOfRangeException>(() => Client.Client.OpenBlobAsync(fetch.Repository, layer, layer.Size + 1));
        await Assert.ThrowsAsync<OutOfRangeException>(() => Client.Client.OpenBlobAsync(fetch.Repository, layer, -1));
        Assert.Equal([$"bytes=1000-{layer.Size - 1}"], Proxy.Requests.Select(r => r.Range));
    }

    private async Task<(FetchHandler Fetch, Descriptor Layer, byte[] Content)> LayerAsync()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.Layers);
        var layer = pushed.Layout.OfKind(BlobKind.Layer).First();
        Assert.True(layer.Size > 200_000, "the layer must be large enough for the drop offset used here");
        return (new FetchHandler(Store, Client.Client, Through(pushed), _tracker), TestRegistryClient.DescriptorOf(layer), pushed.Bytes(layer));
    }

    private ImageReference Through(PushedLayout pushed) => ImageReference.Parse($"{Proxy.Host}/{pushed.Repository}");

    private async Task<byte[]> ReadStoredAsync(Digest digest)
    {
        await using var reader = await Store.OpenReaderAsync(digest);
        await using var stream = new ContentReaderStream(reader);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
