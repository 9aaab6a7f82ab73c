using System.Collections.Concurrent;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Client;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Images.Handlers;

[Collection(RegistryCollection.Name)]
public sealed class RegistryManifestSourceTests(SharedRegistry shared) : IDisposable
{
    private readonly TestRegistryClient _client = new();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData(LayoutScenario.SinglePlatform)]
    [InlineData(LayoutScenario.MultiPlatform)]
    [InlineData(LayoutScenario.DockerMultiPlatform)]
    [InlineData(LayoutScenario.NestedIndex)]
    public async Task DispatchFromTheRegistryReachesEveryBlobReadingEachManifestOnce(LayoutScenario scenario)
    {
        var pushed = await PushedLayouts.GetAsync(await shared.GetAsync(RegistryFlavor.Plain), scenario);
        var source = new RegistryManifestSource(_client.Client, pushed.Reference);
        var seen = new ConcurrentQueue<string>();
        var handler = ImageHandlers.Chain(LayoutStore.Recorder(seen), ImageHandlers.Children(source));

        await ImageHandlers.DispatchAsync(handler, [TestRegistryClient.DescriptorOf(pushed.Layout.Top)], maxConcurrency: 4);

        Assert.Equal(pushed.Layout.Blobs.Select(b => b.Digest).Order(), seen.Order());
        var documents = pushed.Layout.Blobs.Where(b => b.Kind is BlobKind.Index or BlobKind.Manifest).Select(b => $"/manifests/{b.Digest}").Order();
        Assert.Equal(documents, _client.Requests.Select(r => r.Url.AbsolutePath[r.Url.AbsolutePath.IndexOf("/manifests/", StringComparison.Ordinal)..]).Order());
        Assert.All(_client.Requests, r => Assert.Equal(("GET", 200), (r.Method, r.Status ?? 0)));
    }

    [Fact]
    public async Task ArtifactFromTheRegistryStopsAtItsOwnBlobs()
    {
        var pushed = await PushedLayouts.GetAsync(await shared.GetAsync(RegistryFlavor.Plain), LayoutScenario.Artifact);
        var children = ImageHandlers.Children(new RegistryManifestSource(_client.Client, pushed.Reference));
        var result = await children(new ImageNode(TestRegistryClient.DescriptorOf(pushed.Layout.Top)), CancellationToken.None);

        using var json = FixtureTools.ReadJson(pushed.Layout, pushed.Layout.Top);
        var expected = json.RootElement;
        Assert.Equal(
            [expected.GetProperty("config").GetProperty("digest").GetString()!, .. expected.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!)],
            result.Children.Select(d => d.Digest.ToString()));
        Assert.Single(_client.Requests);
    }

    [Fact]
    public async Task RegistryAndStoreSourcesAgree()
    {
        var pushed = await PushedLayouts.GetAsync(await shared.GetAsync(RegistryFlavor.Plain), LayoutScenario.MultiPlatform);
        var fromRegistry = new RegistryManifestSource(_client.Client, pushed.Reference);
        foreach (var blob in pushed.Layout.Blobs.Where(b => b.Kind is BlobKind.Index or BlobKind.Manifest))
        {
            var body = await fromRegistry.ReadManifestAsync(TestRegistryClient.DescriptorOf(blob), CancellationToken.None);
            Assert.Equal(pushed.Bytes(blob), body);
        }
    }

    [Fact]
    public async Task ManifestMissingFromTheRepositoryIsNotFound()
    {
        var pushed = await PushedLayouts.GetAsync(await shared.GetAsync(RegistryFlavor.Plain), LayoutScenario.SinglePlatform);
        var absent = Descriptor.FromContent(MediaTypes.OciManifest, "{\"schemaVersion\":2}"u8);
        var ex = await Assert.ThrowsAsync<NotFoundException>(async () =>
            await ImageHandlers.Children(new RegistryManifestSource(_client.Client, pushed.Reference))(new ImageNode(absent), CancellationToken.None));
        Assert.Equal(ErrorIds.ManifestNotFound, ex.ErrorId);
    }

    [Fact]
    public async Task WrongDeclaredTypeIsRefusedByTheClient()
    {
        var pushed = await PushedLayouts.GetAsync(await shared.GetAsync(RegistryFlavor.Plain), LayoutScenario.DockerMultiPlatform);
        var top = TestRegistryClient.DescriptorOf(pushed.Layout.Top);
        var asOci = new Descriptor { MediaType = MediaTypes.OciIndex, Digest = top.Digest, Size = top.Size };
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(async () =>
            await ImageHandlers.Children(new RegistryManifestSource(_client.Client, pushed.Reference))(new ImageNode(asOci), CancellationToken.None));
        Assert.Equal(ErrorIds.MediaTypeMismatch, ex.ErrorId);
    }

    [Fact]
    public void NullArgumentsAreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => new RegistryManifestSource(null!, ImageReference.Parse("localhost/a")));
        Assert.Throws<ArgumentNullException>(() => new RegistryManifestSource(_client.Client, null!));
        Assert.Throws<ArgumentNullException>(() => new ContentStoreManifestSource(null!));
        Assert.Throws<ArgumentNullException>(() => ImageHandlers.Children(null!));
    }
}
