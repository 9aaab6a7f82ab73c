using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Client;

[Collection(RegistryCollection.Name)]
public sealed class FetchManifestTests(SharedRegistry shared) : IDisposable
{
    private readonly TestRegistryClient _client = new();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData(LayoutScenario.MultiPlatform)]
    [InlineData(LayoutScenario.DockerMultiPlatform)]
    [InlineData(LayoutScenario.NestedIndex)]
    [InlineData(LayoutScenario.Artifact)]
    public async Task FetchesTheExactBytesOfEveryManifestAndIndex(LayoutScenario scenario)
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, scenario);
        var repository = TestRegistryClient.Repository(registry.Host, pushed.Repository);

        foreach (var blob in pushed.Layout.Blobs.Where(b => b.Kind is BlobKind.Manifest or BlobKind.Index))
        {
            var descriptor = TestRegistryClient.DescriptorOf(blob);
            var fetched = await _client.Client.FetchManifestAsync(repository, descriptor);
            Assert.Same(descriptor, fetched.Descriptor);
            Assert.Equal(pushed.Bytes(blob), fetched.Body);
        }

        Assert.All(_client.Requests, r => Assert.Matches($"^/v2/{pushed.Repository}/manifests/sha256:[0-9a-f]{{64}}$", r.PathAndQuery));
    }

    [Fact]
    public async Task AWrongSizeIsSizeMismatch()
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, LayoutScenario.SinglePlatform);
        var top = TestRegistryClient.DescriptorOf(pushed.Layout.Top);
        var wrong = new Descriptor { MediaType = top.MediaType, Digest = top.Digest, Size = top.Size + 1 };

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() =>
            _client.Client.FetchManifestAsync(TestRegistryClient.Repository(registry.Host, pushed.Repository), wrong));

        Assert.Equal(ErrorIds.SizeMismatch, error.ErrorId);
    }

    [Fact]
    public async Task AnotherMediaTypeIsMediaTypeMismatch()
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, LayoutScenario.SinglePlatform);
        var top = TestRegistryClient.DescriptorOf(pushed.Layout.Top);
        var asIndex = new Descriptor { MediaType = MediaTypes.OciIndex, Digest = top.Digest, Size = top.Size };

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            _client.Client.FetchManifestAsync(TestRegistryClient.Repository(registry.Host, pushed.Repository), asIndex));

        Assert.Equal(ErrorIds.MediaTypeMismatch, error.ErrorId);
    }

    [Fact]
    public async Task AMissingManifestIsManifestNotFoundWithTheDigest()
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, LayoutScenario.SinglePlatform);
        var missing = Descriptor.FromContent(MediaTypes.OciManifest, "{}"u8);

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            _client.Client.FetchManifestAsync(TestRegistryClient.Repository(registry.Host, pushed.Repository), missing));

        Assert.Equal(ErrorIds.ManifestNotFound, error.ErrorId);
        Assert.Equal($"{registry.Host}/{pushed.Repository}@{missing.Digest}", error.Target);
    }

    [Fact]
    public async Task AManifestOver4MiBIsRefusedBeforeAnyRequest()
    {
        var registry = await shared.GetAsync();
        var huge = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.FromBytes("x"u8), Size = ManifestParser.MaxManifestSize + 1 };

        var error = await Assert.ThrowsAsync<ResourceExhaustedException>(() =>
            _client.Client.FetchManifestAsync(TestRegistryClient.Repository(registry.Host, "client/any"), huge));

        Assert.Equal(ErrorIds.ManifestTooLarge, error.ErrorId);
        Assert.Empty(_client.Requests);
    }
}
