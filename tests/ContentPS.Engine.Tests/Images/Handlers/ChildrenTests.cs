using System.Collections.Concurrent;
using System.Text;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Images.Handlers;

public class ChildrenTests
{
    public static TheoryData<LayoutScenario> ImageScenarios =>
        [LayoutScenario.SinglePlatform, LayoutScenario.MultiPlatform, LayoutScenario.DockerMultiPlatform, LayoutScenario.NestedIndex];

    [Theory]
    [MemberData(nameof(ImageScenarios))]
    public async Task WalkReachesEveryBlobOfAnImageLayout(LayoutScenario scenario)
    {
        using var layout = await LayoutStore.CreateAsync(scenario);
        var seen = new ConcurrentQueue<string>();
        await ImageHandlers.WalkAsync(ImageHandlers.Chain(LayoutStore.Recorder(seen), ImageHandlers.Children(layout.Source)), [layout.Top]);
        Assert.Equal(layout.Layout.Blobs.Select(b => b.Digest).Order(), seen.Order());
    }

    [Theory]
    [MemberData(nameof(ImageScenarios))]
    [InlineData(LayoutScenario.Artifact)]
    public async Task ChildrenAreWhatTheBodyListsInOrder(LayoutScenario scenario)
    {
        using var layout = await LayoutStore.CreateAsync(scenario);
        var children = ImageHandlers.Children(layout.Source);
        var checkedDocuments = 0;
        foreach (var blob in layout.Layout.Blobs.Where(b => b.Kind is BlobKind.Index or BlobKind.Manifest))
        {
            var result = await children(new ImageNode(LayoutStore.DescriptorOf(blob)), CancellationToken.None);
            var (config, listed) = layout.ListedIn(blob);
            var expected = config is null ? listed : [config, .. listed];
            Assert.Equal(HandlerSignal.Continue, result.Signal);
            Assert.Equal(expected, result.Children.Select(d => d.Digest.ToString()));
            checkedDocuments++;
        }
        Assert.True(checkedDocuments >= 1);
    }

    [Fact]
    public async Task IndexChildrenKeepPlatformsAndDockerTypes()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.DockerMultiPlatform);
        var result = await ImageHandlers.Children(layout.Source)(new ImageNode(layout.Top), CancellationToken.None);
        Assert.Equal(ImageLayouts.MultiPlatforms, result.Children.Select(d => Platforms.Format(d.Platform!)));
        Assert.All(result.Children, d => Assert.Equal(MediaTypes.DockerManifest, d.MediaType));

        var manifest = await ImageHandlers.Children(layout.Source)(new ImageNode(result.Children[0]), CancellationToken.None);
        Assert.Equal(MediaTypes.DockerConfig, manifest.Children[0].MediaType);
        Assert.All(manifest.Children.Skip(1), d => Assert.Equal(MediaTypes.DockerLayerGzip, d.MediaType));
    }

    [Fact]
    public async Task ArtifactChildrenAreConfigAndBlobsButNotTheSubject()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.Artifact);
        var subject = layout.Layout.Tags[layout.Layout.RefName + "-subject"];
        var seen = new ConcurrentQueue<string>();
        await ImageHandlers.WalkAsync(ImageHandlers.Chain(LayoutStore.Recorder(seen), ImageHandlers.Children(layout.Source)), [layout.Top]);

        var visited = seen.Select(layout.Blob).ToList();
        Assert.Equal(3, visited.Count);
        Assert.Equal(layout.Layout.Digest, visited[0].Digest);
        Assert.Equal(MediaTypes.OciEmpty, visited[1].MediaType);
        Assert.DoesNotContain(subject.Digest, seen);
        Assert.DoesNotContain(layout.Layout.Blobs.Where(b => b.Kind == BlobKind.Config && b.MediaType == MediaTypes.OciConfig), b => seen.Contains(b.Digest));
    }

    [Theory]
    [InlineData(MediaTypes.OciConfig)]
    [InlineData(MediaTypes.OciLayerGzip)]
    [InlineData(MediaTypes.DockerForeignLayerGzip)]
    [InlineData(MediaTypes.OciEmpty)]
    [InlineData("application/vnd.example.unknown-artifact+json")]
    [InlineData("application/spdx+json")]
    public async Task OtherMediaTypesHaveNoChildrenAndAreNotRead(string mediaType)
    {
        var source = new CountingSource();
        var descriptor = Descriptor.FromContent(mediaType, "{}"u8);
        var result = await ImageHandlers.Children(source)(new ImageNode(descriptor), CancellationToken.None);
        Assert.Equal(HandlerSignal.Continue, result.Signal);
        Assert.Empty(result.Children);
        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public async Task BodyOfAnotherTypeThanDeclaredIsMediaTypeMismatch()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.MultiPlatform);
        var index = layout.Top;
        var declaredAsManifest = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = index.Digest, Size = index.Size };
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(
            async () => await ImageHandlers.Children(layout.Source)(new ImageNode(declaredAsManifest), CancellationToken.None));
        Assert.Equal(ErrorIds.MediaTypeMismatch, ex.ErrorId);

        var manifest = LayoutStore.DescriptorOf(layout.Layout.ManifestFor("linux/amd64"));
        var declaredAsDocker = new Descriptor { MediaType = MediaTypes.DockerManifest, Digest = manifest.Digest, Size = manifest.Size };
        ex = await Assert.ThrowsAsync<InvalidArgumentException>(
            async () => await ImageHandlers.Children(layout.Source)(new ImageNode(declaredAsDocker), CancellationToken.None));
        Assert.Equal(ErrorIds.MediaTypeMismatch, ex.ErrorId);
    }

    [Fact]
    public async Task MalformedBodyIsInvalidManifest()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        var descriptor = await WriteAsync(layout.Store, MediaTypes.OciManifest, "{\"schemaVersion\":2,\"config\":");
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(
            async () => await ImageHandlers.Children(layout.Source)(new ImageNode(descriptor), CancellationToken.None));
        Assert.Equal(ErrorIds.InvalidManifest, ex.ErrorId);
    }

    [Fact]
    public async Task Schema1IsRefusedNotStoredAsALeaf()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        var descriptor = await WriteAsync(layout.Store, MediaTypes.DockerSchema1SignedManifest, "{\"schemaVersion\":1,\"fsLayers\":[]}");
        var ex = await Assert.ThrowsAsync<UnimplementedException>(
            async () => await ImageHandlers.Children(layout.Source)(new ImageNode(descriptor), CancellationToken.None));
        Assert.Equal(ErrorIds.UnsupportedSchema1, ex.ErrorId);
    }

    [Fact]
    public async Task MissingManifestIsNotFound()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        var absent = Descriptor.FromContent(MediaTypes.OciIndex, "{\"schemaVersion\":2,\"manifests\":[]}"u8);
        var ex = await Assert.ThrowsAsync<NotFoundException>(
            async () => await ImageHandlers.Children(layout.Source)(new ImageNode(absent), CancellationToken.None));
        Assert.Equal(ErrorIds.BlobNotFound, ex.ErrorId);
    }

    [Fact]
    public async Task StoreSourceRefusesOversizedDescriptorsBeforeReading()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        var huge = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = layout.Top.Digest, Size = ManifestParser.MaxManifestSize + 1L };
        var ex = await Assert.ThrowsAsync<ResourceExhaustedException>(async () => await layout.Source.ReadManifestAsync(huge, CancellationToken.None));
        Assert.Equal(ErrorIds.ManifestTooLarge, ex.ErrorId);
    }

    [Fact]
    public async Task StoreSourceChecksSizeAndBytes()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        var top = layout.Top;
        Assert.Equal(top.Size, (await layout.Source.ReadManifestAsync(top, CancellationToken.None)).Length);

        var wrongSize = new Descriptor { MediaType = top.MediaType, Digest = top.Digest, Size = top.Size - 1 };
        var ex = await Assert.ThrowsAsync<DataLossException>(async () => await layout.Source.ReadManifestAsync(wrongSize, CancellationToken.None));
        Assert.Equal(ErrorIds.BlobCorrupt, ex.ErrorId);

        // Same length, other bytes: the committed file was tampered with.
        var path = Path.Combine(layout.Store.Root, "blobs", "sha256", top.Digest.Encoded);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^2] ^= 0x20;
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        await File.WriteAllBytesAsync(path, bytes);
        ex = await Assert.ThrowsAsync<DataLossException>(async () => await layout.Source.ReadManifestAsync(top, CancellationToken.None));
        Assert.Equal(ErrorIds.BlobCorrupt, ex.ErrorId);
        Assert.Contains(top.Digest.ToString(), ex.Message);
    }

    [Fact]
    public async Task CancellationIsHonoured()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await ImageHandlers.Children(layout.Source)(new ImageNode(layout.Top), new CancellationToken(canceled: true)));
    }

    internal static async Task<Descriptor> WriteAsync(IContentStore store, string mediaType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var descriptor = new Descriptor { MediaType = mediaType, Digest = Digest.FromBytes(bytes), Size = bytes.Length };
        await ContentHelpers.WriteBlobAsync(store, "test-" + descriptor.Digest, new MemoryStream(bytes), descriptor);
        return descriptor;
    }

    private sealed class CountingSource : IManifestSource
    {
        public int Calls { get; private set; }

        public ValueTask<byte[]> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
        {
            Calls++;
            throw new InternalException("the source must not be read for this media type");
        }
    }
}
