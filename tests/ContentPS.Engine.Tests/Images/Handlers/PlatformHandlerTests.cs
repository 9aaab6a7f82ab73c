using System.Collections.Concurrent;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Images.Handlers;

public class PlatformHandlerTests
{
    private static Platform P(string s) => Platforms.Parse(s);

    private static async Task<List<string>> IndexChildrenAsync(LayoutStore layout, ImageHandler handler)
    {
        var result = await handler(new ImageNode(layout.Top), CancellationToken.None);
        return result.Children.Select(d => layout.Blob(d.Digest.ToString()).Platform ?? "(none)").ToList();
    }

    [Fact]
    public async Task FilterKeepsMatchingManifestsOnly()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.MultiPlatform);
        var children = ImageHandlers.Children(layout.Source);
        Assert.Equal(["linux/arm/v7"], await IndexChildrenAsync(layout, ImageHandlers.FilterPlatforms(children, Platforms.Only(P("linux/arm/v7")))));
        // arm64 also runs arm/v7 (containerd's Only fallbacks); index order is kept.
        Assert.Equal(["linux/arm64/v8", "linux/arm/v7"], await IndexChildrenAsync(layout, ImageHandlers.FilterPlatforms(children, Platforms.Only(P("linux/arm64")))));
        Assert.Equal(["linux/amd64"], await IndexChildrenAsync(layout, ImageHandlers.FilterPlatforms(children, Platforms.OnlyStrict(P("linux/amd64")))));
        Assert.Equal([.. ImageLayouts.MultiPlatforms, ImageLayouts.AttestationPlatform],
            await IndexChildrenAsync(layout, ImageHandlers.FilterPlatforms(children, Platforms.All)));
        Assert.Empty(await IndexChildrenAsync(layout, ImageHandlers.FilterPlatforms(children, Platforms.Only(P("linux/s390x")))));
    }

    [Fact]
    public async Task FilterKeepsChildrenWithoutPlatformAndPassesManifestChildrenThrough()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.NestedIndex);
        var handler = ImageHandlers.FilterPlatforms(ImageHandlers.Children(layout.Source), Platforms.Only(P("linux/riscv64")));
        var seen = new ConcurrentQueue<string>();
        await ImageHandlers.WalkAsync(ImageHandlers.Chain(LayoutStore.Recorder(seen), handler), [layout.Top]);

        var riscv = layout.Layout.ManifestFor("linux/riscv64");
        var (config, layers) = layout.ListedIn(riscv);
        var inner = layout.Layout.Blobs.Single(b => b.Kind == BlobKind.Index && b.Digest != layout.Layout.Digest);
        // The inner index has no platform: it is kept, and its own amd64/arm64 entries are filtered out.
        Assert.Equal([layout.Layout.Digest, inner.Digest, riscv.Digest, config!, .. layers], seen);
    }

    [Fact]
    public async Task FilterPassesTheInnerSignalOn()
    {
        ImageHandler skip = (_, _) => ValueTask.FromResult(HandlerResult.Skip);
        var result = await ImageHandlers.FilterPlatforms(skip, Platforms.All)(new ImageNode(TestTree.Node("x")), CancellationToken.None);
        Assert.Equal(HandlerSignal.Skip, result.Signal);
    }

    [Fact]
    public async Task LimitKeepsTheMostPreferredManifests()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.MultiPlatform);
        var ordered = Platforms.Ordered(P("linux/arm/v7"), P("linux/amd64"));
        var filtered = ImageHandlers.FilterPlatforms(ImageHandlers.Children(layout.Source), ordered);

        // Index order is amd64 before arm/v7; the matcher prefers arm/v7.
        Assert.Equal(["linux/arm/v7"], await IndexChildrenAsync(layout, ImageHandlers.LimitManifests(filtered, ordered, 1)));
        Assert.Equal(["linux/arm/v7", "linux/amd64"], await IndexChildrenAsync(layout, ImageHandlers.LimitManifests(filtered, ordered, 2)));
        Assert.Equal(["linux/arm/v7", "linux/amd64"], await IndexChildrenAsync(layout, ImageHandlers.LimitManifests(filtered, ordered, 0)));

        var arm64 = Platforms.Only(P("linux/arm64"));
        var limited = ImageHandlers.LimitManifests(ImageHandlers.FilterPlatforms(ImageHandlers.Children(layout.Source), arm64), arm64, 1);
        Assert.Equal(["linux/arm64/v8"], await IndexChildrenAsync(layout, limited));
    }

    [Fact]
    public async Task LimitSortsStablyWithPlatformlessChildrenLast()
    {
        var noPlatform = TestTree.Node("nested-index");
        var a = WithPlatform(TestTree.Node("a"), "linux/amd64");
        var b = WithPlatform(TestTree.Node("b"), "linux/arm/v7");
        var c = WithPlatform(TestTree.Node("c"), "linux/amd64");
        ImageHandler fixedChildren = (_, _) => ValueTask.FromResult(HandlerResult.Of([noPlatform, a, b, c]));
        var index = new ImageNode(new Descriptor { MediaType = MediaTypes.DockerManifestList, Digest = TestTree.Node("i").Digest, Size = 1 });

        var result = await ImageHandlers.LimitManifests(fixedChildren, Platforms.Ordered(P("linux/arm/v7"), P("linux/amd64")), 0)(index, CancellationToken.None);
        Assert.Equal([b, a, c, noPlatform], result.Children);

        // Not an index: children pass unchanged.
        var manifest = new ImageNode(new Descriptor { MediaType = MediaTypes.OciManifest, Digest = TestTree.Node("m").Digest, Size = 1 });
        result = await ImageHandlers.LimitManifests(fixedChildren, Platforms.Ordered(P("linux/arm/v7")), 1)(manifest, CancellationToken.None);
        Assert.Equal([noPlatform, a, b, c], result.Children);
    }

    [Fact]
    public async Task LimitOnAnIndexLeftEmptyIsPlatformNotFound()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.DockerMultiPlatform);
        var s390x = Platforms.Only(P("linux/s390x"));
        var handler = ImageHandlers.LimitManifests(ImageHandlers.FilterPlatforms(ImageHandlers.Children(layout.Source), s390x), s390x, 1);
        var ex = await Assert.ThrowsAsync<NotFoundException>(async () => await handler(new ImageNode(layout.Top), CancellationToken.None));
        Assert.Equal(ErrorIds.PlatformNotFound, ex.ErrorId);
        Assert.Equal(layout.Layout.Digest, ex.Target);

        // Without a limit an empty index is not an error.
        var unlimited = ImageHandlers.LimitManifests(ImageHandlers.FilterPlatforms(ImageHandlers.Children(layout.Source), s390x), s390x, 0);
        Assert.Empty((await unlimited(new ImageNode(layout.Top), CancellationToken.None)).Children);
    }

    [Fact]
    public async Task DispatchWithFilterAndLimitFetchesOnePlatform()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.MultiPlatform);
        var only = Platforms.Only(P("linux/arm64"));
        var seen = new ConcurrentQueue<string>();
        var handler = ImageHandlers.Chain(
            LayoutStore.Recorder(seen),
            ImageHandlers.LimitManifests(ImageHandlers.FilterPlatforms(ImageHandlers.Children(layout.Source), only), only, 1));
        await ImageHandlers.DispatchAsync(handler, [layout.Top], maxConcurrency: 4);

        var arm64 = layout.Layout.ManifestFor("linux/arm64/v8");
        var (config, layers) = layout.ListedIn(arm64);
        List<string> expected = [layout.Layout.Digest, arm64.Digest, config!, .. layers];
        Assert.Equal(expected.Order(), seen.Order());
    }

    private static Descriptor WithPlatform(Descriptor d, string platform) =>
        new() { MediaType = MediaTypes.OciManifest, Digest = d.Digest, Size = d.Size, Platform = P(platform) };
}
