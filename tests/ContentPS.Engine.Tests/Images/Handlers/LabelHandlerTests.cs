using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Images.Handlers;

public class LabelHandlerTests
{
    private const string Ref = "containerd.io/gc.ref.content";

    private static async Task<LayoutStore> LabelledAsync(LayoutScenario scenario)
    {
        var layout = await LayoutStore.CreateAsync(scenario);
        var handler = ImageHandlers.SetChildrenLabels(layout.Store, ImageHandlers.Children(layout.Source));
        await ImageHandlers.DispatchAsync(handler, [layout.Top], maxConcurrency: 3);
        return layout;
    }

    private static async Task<IReadOnlyDictionary<string, string>> LabelsOf(LayoutStore layout, string digest) =>
        (await layout.Store.InfoAsync(Digest.Parse(digest))).Labels;

    private static Dictionary<string, string> ImageManifestLabels(LayoutStore layout, LayoutBlob manifest)
    {
        var (config, layers) = layout.ListedIn(manifest);
        Assert.Equal(2, layers.Count);
        return new()
        {
            [$"{Ref}.config"] = config!,
            [$"{Ref}.l.0"] = layers[0],
            [$"{Ref}.l.1"] = layers[1],
        };
    }

    [Theory]
    [InlineData(LayoutScenario.MultiPlatform)]
    [InlineData(LayoutScenario.DockerMultiPlatform)]
    public async Task IndexAndManifestsGetContainerdGcLabels(LayoutScenario scenario)
    {
        using var layout = await LabelledAsync(scenario);
        var manifests = layout.ListedIn(layout.Layout.Top).Children;
        var expectedIndex = manifests.Select((digest, i) => ($"{Ref}.m.{i}", digest)).ToDictionary();
        Assert.Equal(expectedIndex, await LabelsOf(layout, layout.Layout.Digest));

        foreach (var platform in ImageLayouts.MultiPlatforms)
        {
            var manifest = layout.Layout.ManifestFor(platform);
            Assert.Equal(ImageManifestLabels(layout, manifest), await LabelsOf(layout, manifest.Digest));
        }
        foreach (var leaf in layout.Layout.Blobs.Where(b => b.Kind is BlobKind.Config or BlobKind.Layer))
        {
            Assert.Empty(await LabelsOf(layout, leaf.Digest));
        }
    }

    [Fact]
    public async Task AttestationLayersOfUnknownTypeUseTheGenericKey()
    {
        using var layout = await LabelledAsync(LayoutScenario.MultiPlatform);
        var attestation = layout.Layout.ManifestFor(ImageLayouts.AttestationPlatform);
        var (config, layers) = layout.ListedIn(attestation);
        // application/vnd.in-toto+json is neither a config nor a layer type to containerd.
        Assert.Equal(new Dictionary<string, string> { [$"{Ref}.config"] = config!, [$"{Ref}.0"] = layers.Single() },
            await LabelsOf(layout, attestation.Digest));
    }

    [Fact]
    public async Task NestedIndexIsReferencedByTheGenericKey()
    {
        using var layout = await LabelledAsync(LayoutScenario.NestedIndex);
        var (_, children) = layout.ListedIn(layout.Layout.Top);
        var inner = layout.Blob(children[0]);
        Assert.Equal(BlobKind.Index, inner.Kind);
        Assert.Equal(new Dictionary<string, string> { [$"{Ref}.0"] = inner.Digest, [$"{Ref}.m.0"] = children[1] },
            await LabelsOf(layout, layout.Layout.Digest));
        var (_, innerManifests) = layout.ListedIn(inner);
        Assert.Equal(new Dictionary<string, string> { [$"{Ref}.m.0"] = innerManifests[0], [$"{Ref}.m.1"] = innerManifests[1] },
            await LabelsOf(layout, inner.Digest));
        var riscv = layout.Layout.ManifestFor("linux/riscv64");
        Assert.Equal(ImageManifestLabels(layout, riscv), await LabelsOf(layout, riscv.Digest));
    }

    [Fact]
    public async Task ArtifactConfigAndBlobsUseTheGenericKeyAndTheSubjectIsNotReferenced()
    {
        using var layout = await LabelledAsync(LayoutScenario.Artifact);
        var (config, blobs) = layout.ListedIn(layout.Layout.Top);
        Assert.Equal(new Dictionary<string, string> { [$"{Ref}.0"] = config!, [$"{Ref}.1"] = blobs.Single() },
            await LabelsOf(layout, layout.Layout.Digest));
    }

    [Fact]
    public async Task OtherLabelsOfTheParentAreKept()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        var top = layout.Top;
        await layout.Store.UpdateAsync(new ContentInfo
        {
            Digest = top.Digest,
            Size = top.Size,
            CreatedAt = default,
            UpdatedAt = default,
            Labels = new Dictionary<string, string> { ["example.com/keep"] = "yes", [$"{Ref}.l.0"] = "stale" },
        }, ["labels.example.com/keep", $"labels.{Ref}.l.0"]);

        await ImageHandlers.WalkAsync(ImageHandlers.SetChildrenLabels(layout.Store, ImageHandlers.Children(layout.Source)), [top]);

        var expected = ImageManifestLabels(layout, layout.Layout.Top);
        expected["example.com/keep"] = "yes";
        Assert.Equal(expected, await LabelsOf(layout, layout.Layout.Digest));
    }

    [Fact]
    public void RepeatedKeysAreNumberedAsContainerdDoes()
    {
        Descriptor Of(string mediaType, string name) => new() { MediaType = mediaType, Digest = TestTree.Node(name).Digest, Size = 1 };
        var children = new[]
        {
            Of(MediaTypes.OciConfig, "c0"), Of(MediaTypes.DockerConfig, "c1"), Of(MediaTypes.OciConfig, "c2"),
            Of(MediaTypes.DockerForeignLayerGzip, "l0"), Of(MediaTypes.OciLayerNonDistributableZstd, "l1"),
            Of(MediaTypes.OciIndex, "x0"), Of(MediaTypes.DockerManifest, "m0"), Of("application/octet-stream", "x1"),
        };
        var labels = ImageHandlers.ChildrenLabels(children);
        string D(string name) => TestTree.Node(name).Digest.ToString();
        Assert.Equal(new Dictionary<string, string>
        {
            [$"{Ref}.config"] = D("c0"),
            [$"{Ref}.config1"] = D("c1"),
            [$"{Ref}.config2"] = D("c2"),
            [$"{Ref}.l.0"] = D("l0"),
            [$"{Ref}.l.1"] = D("l1"),
            [$"{Ref}.0"] = D("x0"),
            [$"{Ref}.m.0"] = D("m0"),
            [$"{Ref}.1"] = D("x1"),
        }, labels);

        var withoutLayers = ImageHandlers.ChildrenLabels(children, ImageHandlers.ChildGcLabelsWithoutLayers);
        Assert.DoesNotContain(withoutLayers.Keys, k => k.StartsWith($"{Ref}.l.", StringComparison.Ordinal));
        Assert.Equal(6, withoutLayers.Count);
    }

    [Fact]
    public async Task ParentMissingFromTheStoreIsNotFoundButChildlessBlobsNeedNothing()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        var absentParent = new ImageNode(TestTree.Node("absent"));
        ImageHandler oneChild = (_, _) => ValueTask.FromResult(HandlerResult.Of([layout.Top]));
        var ex = await Assert.ThrowsAsync<NotFoundException>(
            async () => await ImageHandlers.SetChildrenLabels(layout.Store, oneChild)(absentParent, CancellationToken.None));
        Assert.Equal(ErrorIds.BlobNotFound, ex.ErrorId);

        var none = await ImageHandlers.SetChildrenLabels(layout.Store, ImageHandlers.Children(layout.Source))(absentParent, CancellationToken.None);
        Assert.Empty(none.Children);
    }

    [Fact]
    public async Task InnerSkipWritesNothing()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        var handler = ImageHandlers.SetChildrenLabels(layout.Store, (_, _) => ValueTask.FromResult(HandlerResult.Skip));
        var result = await handler(new ImageNode(layout.Top), CancellationToken.None);
        Assert.Equal(HandlerSignal.Skip, result.Signal);
        Assert.Empty(await LabelsOf(layout, layout.Layout.Digest));
    }
}
