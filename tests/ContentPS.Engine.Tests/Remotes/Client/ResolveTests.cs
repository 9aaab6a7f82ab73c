using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Client;

[Collection(RegistryCollection.Name)]
public sealed class ResolveTests(SharedRegistry shared) : IDisposable
{
    private readonly TestRegistryClient _client = new();

    public static TheoryData<LayoutScenario> Scenarios() => new(Enum.GetValues<LayoutScenario>());

    public void Dispose() => _client.Dispose();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task ResolvesATagWithOneHead(LayoutScenario scenario)
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, scenario);

        var resolved = await _client.Client.ResolveAsync(ImageReference.Parse($"{registry.Host}/{pushed.Repository}:{PushedLayouts.Tag}"));

        Assert.Equal(pushed.Layout.Digest, resolved.Descriptor.Digest.ToString());
        Assert.Equal(pushed.Layout.MediaType, resolved.Descriptor.MediaType);
        Assert.Equal(pushed.Layout.Size, resolved.Descriptor.Size);
        Assert.Equal($"{registry.Host}/{pushed.Repository}:{PushedLayouts.Tag}", resolved.Reference.ToString());
        var request = Assert.Single(_client.Requests);
        Assert.Equal(("HEAD", $"/v2/{pushed.Repository}/manifests/{PushedLayouts.Tag}", 200), (request.Method, request.PathAndQuery, request.Status));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task ResolvesEveryManifestByDigest(LayoutScenario scenario)
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, scenario);
        var manifests = pushed.Layout.Blobs.Where(b => b.Kind is BlobKind.Manifest or BlobKind.Index).ToList();
        Assert.NotEmpty(manifests);

        foreach (var manifest in manifests)
        {
            var reference = ImageReference.Parse($"{registry.Host}/{pushed.Repository}@{manifest.Digest}");
            var resolved = await _client.Client.ResolveAsync(reference);
            Assert.Equal((manifest.Digest, manifest.MediaType, manifest.Size),
                (resolved.Descriptor.Digest.ToString(), resolved.Descriptor.MediaType, resolved.Descriptor.Size));
            Assert.Equal(reference, resolved.Reference);
        }
    }

    [Fact]
    public async Task ResolvesTheMediaTypesOfEachKind()
    {
        var registry = await shared.GetAsync();
        var oci = await PushedLayouts.GetAsync(registry, LayoutScenario.MultiPlatform);
        var docker = await PushedLayouts.GetAsync(registry, LayoutScenario.DockerMultiPlatform);

        var index = await _client.Client.ResolveAsync(ImageReference.Parse($"{registry.Host}/{oci.Repository}:{PushedLayouts.Tag}"));
        var list = await _client.Client.ResolveAsync(ImageReference.Parse($"{registry.Host}/{docker.Repository}:{PushedLayouts.Tag}"));
        var ociManifest = oci.Layout.ManifestFor("linux/arm64/v8");
        var dockerManifest = docker.Layout.ManifestFor("linux/arm64/v8");
        var manifest = await _client.Client.ResolveAsync(ImageReference.Parse($"{registry.Host}/{oci.Repository}@{ociManifest.Digest}"));
        var dockerV2 = await _client.Client.ResolveAsync(ImageReference.Parse($"{registry.Host}/{docker.Repository}@{dockerManifest.Digest}"));

        Assert.Equal(MediaTypes.OciIndex, index.Descriptor.MediaType);
        Assert.Equal(MediaTypes.DockerManifestList, list.Descriptor.MediaType);
        Assert.Equal(MediaTypes.OciManifest, manifest.Descriptor.MediaType);
        Assert.Equal(MediaTypes.DockerManifest, dockerV2.Descriptor.MediaType);
    }

    [Fact]
    public async Task AReferenceWithoutTagMeansLatest()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "latest");
        var layout = await PushedLayouts.PushNewAsync(registry, LayoutScenario.SinglePlatform, repository.Path, "latest");

        var resolved = await _client.Client.ResolveAsync(ImageReference.Parse($"{registry.Host}/{repository.Path}"));

        Assert.Equal("latest", resolved.Reference.Tag);
        Assert.Equal(layout.Digest, resolved.Descriptor.Digest.ToString());
    }

    [Fact]
    public async Task AMissingTagIsManifestNotFoundWithTheReference()
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, LayoutScenario.SinglePlatform);
        var reference = ImageReference.Parse($"{registry.Host}/{pushed.Repository}:missing");

        var error = await Assert.ThrowsAsync<NotFoundException>(() => _client.Client.ResolveAsync(reference));

        Assert.Equal(ErrorIds.ManifestNotFound, error.ErrorId);
        Assert.Equal(reference.ToString(), error.Target);
        Assert.Contains(reference.ToString(), error.Message);
    }

    [Fact]
    public async Task AMissingDigestIsManifestNotFound()
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, LayoutScenario.SinglePlatform);
        var digest = Digest.FromBytes("not pushed"u8);
        var reference = ImageReference.Parse($"{registry.Host}/{pushed.Repository}@{digest}");

        var error = await Assert.ThrowsAsync<NotFoundException>(() => _client.Client.ResolveAsync(reference));

        Assert.Equal(ErrorIds.ManifestNotFound, error.ErrorId);
        Assert.Equal(reference.ToString(), error.Target);
    }

    [Fact]
    public async Task AServerErrorOnHeadIsInternalAndNoGetFollows()
    {
        // distribution 2.8 answers HEAD /manifests/<digest of a layer> with 500: the blob exists but is no manifest.
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, LayoutScenario.SinglePlatform);
        var layer = pushed.Layout.OfKind(BlobKind.Layer).First();
        var reference = ImageReference.Parse($"{registry.Host}/{pushed.Repository}@{layer.Digest}");

        var error = await Assert.ThrowsAsync<InternalException>(() => _client.Client.ResolveAsync(reference));

        Assert.Equal(reference.ToString(), error.Target);
        Assert.Equal("HEAD", Assert.Single(_client.Requests).Method);
    }

    [Fact]
    public async Task TryGetManifestFindsTagsAndDigestsAndNullWhenMissing()
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, LayoutScenario.MultiPlatform);
        var repository = TestRegistryClient.Repository(registry.Host, pushed.Repository);
        var arm = pushed.Layout.ManifestFor("linux/arm64/v8");

        var byTag = await _client.Client.TryGetManifestAsync(repository, PushedLayouts.Tag);
        var byDigest = await _client.Client.TryGetManifestAsync(repository, arm.Digest);
        var missingTag = await _client.Client.TryGetManifestAsync(repository, "nope");
        var missingDigest = await _client.Client.TryGetManifestAsync(repository, Digest.FromBytes("nope"u8).ToString());
        var missingRepository = await _client.Client.TryGetManifestAsync(TestRegistryClient.NewRepository(registry.Host, "none"), "v1");

        Assert.Equal(pushed.Layout.Digest, byTag!.Digest.ToString());
        Assert.Equal((arm.Digest, arm.MediaType, arm.Size), (byDigest!.Digest.ToString(), byDigest.MediaType, byDigest.Size));
        Assert.Null(missingTag);
        Assert.Null(missingDigest);
        Assert.Null(missingRepository);
    }

    [Fact]
    public async Task TryGetManifestRefusesAnInvalidTagBeforeAnyRequest()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.Repository(registry.Host, "client/any");

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => _client.Client.TryGetManifestAsync(repository, "-bad tag"));

        Assert.Equal(ErrorIds.InvalidTag, error.ErrorId);
        Assert.Empty(_client.Requests);
    }
}
