using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Images.Handlers;

public class DistributionSourceTests
{
    private const string Key = "containerd.io/distribution.source.127.0.0.1";

    private static async Task SetAsync(LayoutStore layout, Descriptor blob, string key, string value) =>
        await layout.Store.UpdateAsync(new ContentInfo { Digest = blob.Digest, Size = blob.Size, CreatedAt = default, UpdatedAt = default, Labels = new Dictionary<string, string> { [key] = value } },
            ["labels." + key]);

    private static async Task<IReadOnlyDictionary<string, string>> LabelsAsync(LayoutStore layout, Descriptor blob) =>
        (await layout.Store.InfoAsync(blob.Digest)).Labels;

    [Fact]
    public async Task EveryHandledBlobGetsTheSourceLabel()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.MultiPlatform);
        var handler = ImageHandlers.Chain(ImageHandlers.Children(layout.Source), ImageHandlers.DistributionSource(layout.Store, "127.0.0.1:5000", "team/app"));
        await ImageHandlers.DispatchAsync(handler, [layout.Top], maxConcurrency: 4);
        foreach (var blob in layout.Layout.Blobs)
        {
            var labels = await LabelsAsync(layout, LayoutStore.DescriptorOf(blob));
            Assert.Equal(new Dictionary<string, string> { [Key] = "team/app" }, labels);
        }
    }

    [Fact]
    public async Task RepositoriesMergeSortedAndUnique()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        var top = layout.Top;
        await SetAsync(layout, top, Key, "zeta/repo,,alpha/repo,alpha/repo");
        await SetAsync(layout, top, "example.com/other", "kept");

        var handler = ImageHandlers.DistributionSource(layout.Store, ImageReference.Parse("127.0.0.1:5000/middle/repo:v1"));
        var result = await handler(new ImageNode(top), CancellationToken.None);
        Assert.Empty(result.Children);
        Assert.Equal("alpha/repo,middle/repo,zeta/repo", (await LabelsAsync(layout, top))[Key]);
        Assert.Equal("kept", (await LabelsAsync(layout, top))["example.com/other"]);

        // The same repository again changes nothing.
        await handler(new ImageNode(top), CancellationToken.None);
        Assert.Equal("alpha/repo,middle/repo,zeta/repo", (await LabelsAsync(layout, top))[Key]);

        // Another registry host gets its own key; the port is not part of it, as in containerd.
        await ImageHandlers.DistributionSource(layout.Store, "[::1]:5000", "a/b")(new ImageNode(top), CancellationToken.None);
        await ImageHandlers.DistributionSource(layout.Store, ImageReference.Parse("ubuntu"))(new ImageNode(top), CancellationToken.None);
        var labels = await LabelsAsync(layout, top);
        Assert.Equal("a/b", labels["containerd.io/distribution.source.::1"]);
        Assert.Equal("library/ubuntu", labels["containerd.io/distribution.source.docker.io"]);
    }

    [Theory]
    [InlineData(null, "b", "b")]
    [InlineData("", "b", "b")]
    [InlineData("c,a", "b", "a,b,c")]
    [InlineData("a,b", "b", "a,b")]
    [InlineData("B,a", "b", "B,a,b")]
    public void AppendRepositoryFollowsContainerd(string? existing, string repository, string expected) =>
        Assert.Equal(expected, ImageHandlers.AppendRepository(existing, repository));

    [Fact]
    public async Task ValueOverTheLabelLimitIsLeftAsItWas()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        var top = layout.Top;
        var long1 = "r/" + new string('a', 4000);
        await SetAsync(layout, top, Key, long1);
        await ImageHandlers.DistributionSource(layout.Store, "127.0.0.1", "r/" + new string('b', 200))(new ImageNode(top), CancellationToken.None);
        Assert.Equal(long1, (await LabelsAsync(layout, top))[Key]);
    }

    [Fact]
    public async Task BlobNotInTheStoreIsNotFound()
    {
        using var layout = await LayoutStore.CreateAsync(LayoutScenario.SinglePlatform);
        var ex = await Assert.ThrowsAsync<NotFoundException>(async () =>
            await ImageHandlers.DistributionSource(layout.Store, "127.0.0.1", "a/b")(new ImageNode(TestTree.Node("absent")), CancellationToken.None));
        Assert.Equal(ErrorIds.BlobNotFound, ex.ErrorId);
    }

    [Fact]
    public void EmptyHostOrRepositoryIsRefused()
    {
        var store = new LocalContentStore("/nonexistent-contentps", new FileLabelStore("/nonexistent-contentps"));
        Assert.Throws<ArgumentException>(() => ImageHandlers.DistributionSource(store, "", "a"));
        Assert.Throws<ArgumentException>(() => ImageHandlers.DistributionSource(store, "h", ""));
    }
}
