using System.Collections.Concurrent;
using System.Text;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Images.Handlers;

public class SkipNonDistributableTests
{
    [Theory]
    [InlineData(MediaTypes.DockerForeignLayer, true)]
    [InlineData(MediaTypes.DockerForeignLayerGzip, true)]
    [InlineData(MediaTypes.OciLayerNonDistributable, true)]
    [InlineData(MediaTypes.OciLayerNonDistributableGzip, true)]
    [InlineData(MediaTypes.OciLayerNonDistributableZstd, true)]
    [InlineData(MediaTypes.OciLayerGzip, false)]
    [InlineData(MediaTypes.DockerLayerGzip, false)]
    [InlineData(MediaTypes.OciManifest, false)]
    [InlineData(MediaTypes.OciConfig, false)]
    public async Task SkipsForeignLayersUnlessIncluded(string mediaType, bool foreign)
    {
        var node = new ImageNode(Descriptor.FromContent(mediaType, "x"u8));
        var skipped = await ImageHandlers.SkipNonDistributable()(node, CancellationToken.None);
        Assert.Equal(foreign ? HandlerSignal.Skip : HandlerSignal.Continue, skipped.Signal);
        var included = await ImageHandlers.SkipNonDistributable(include: true)(node, CancellationToken.None);
        Assert.Equal(HandlerSignal.Continue, included.Signal);
        Assert.Empty(included.Children);
    }

    [Fact]
    public async Task ForeignLayerOfAManifestIsNeitherHandledNorLabelled()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        var (config, layers) = layout.ListedIn(layout.Layout.Top);
        var foreign = Descriptor.FromContent(MediaTypes.DockerForeignLayerGzip, Encoding.UTF8.GetBytes("windows base layer"));
        var manifestJson = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.DockerManifest}}",
             "config":{"mediaType":"{{MediaTypes.DockerConfig}}","digest":"{{config}}","size":{{layout.Blob(config!).Size}}},
             "layers":[{"mediaType":"{{MediaTypes.DockerForeignLayerGzip}}","digest":"{{foreign.Digest}}","size":{{foreign.Size}},"urls":["https://example.invalid/layer"]},
                       {"mediaType":"{{MediaTypes.DockerLayerGzip}}","digest":"{{layers[0]}}","size":{{layout.Blob(layers[0]).Size}}}]}
            """;
        var manifest = await ChildrenTests.WriteAsync(layout.Store, MediaTypes.DockerManifest, manifestJson);

        var seen = new ConcurrentQueue<string>();
        var handler = ImageHandlers.Chain(ImageHandlers.SkipNonDistributable(), LayoutStore.Recorder(seen), ImageHandlers.Children(layout.Source));
        await ImageHandlers.DispatchAsync(handler, [manifest], maxConcurrency: 2);
        Assert.Equal(new[] { manifest.Digest.ToString(), config!, layers[0] }.Order(), seen.Order());

        seen.Clear();
        var including = ImageHandlers.Chain(ImageHandlers.SkipNonDistributable(include: true), LayoutStore.Recorder(seen), ImageHandlers.Children(layout.Source));
        await ImageHandlers.WalkAsync(including, [manifest]);
        Assert.Equal([manifest.Digest.ToString(), config!, foreign.Digest.ToString(), layers[0]], seen);
    }
}
