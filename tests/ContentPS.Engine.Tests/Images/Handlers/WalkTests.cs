using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;

namespace ContentPS.Engine.Tests.Images.Handlers;

public class WalkTests
{
    private static TestTree Nested() => new TestTree()
        .Add("index", "inner", "m2")
        .Add("inner", "m1", "m3")
        .Add("m1", "c1", "l1", "l2")
        .Add("m3", "c3")
        .Add("m2", "c2", "l1");

    [Fact]
    public async Task VisitsDepthFirstChildrenInOrder()
    {
        var tree = Nested();
        await ImageHandlers.WalkAsync(tree.Handler, [TestTree.Node("index")]);
        Assert.Equal(["index", "inner", "m1", "c1", "l1", "l2", "m3", "c3", "m2", "c2", "l1"], tree.Visits);
    }

    [Fact]
    public async Task SeveralRootsAreWalkedInOrder()
    {
        var tree = Nested();
        await ImageHandlers.WalkAsync(tree.Handler, [TestTree.Node("m3"), TestTree.Node("m2")]);
        Assert.Equal(["m3", "c3", "m2", "c2", "l1"], tree.Visits);
    }

    [Fact]
    public async Task SkipPrunesTheSubtreeOnly()
    {
        var tree = Nested();
        var handler = ImageHandlers.Chain(tree.Handler, (node, _) => ValueTask.FromResult(
            tree.NameOf(node.Descriptor) == "inner" ? HandlerResult.Skip : HandlerResult.None));
        await ImageHandlers.WalkAsync(handler, [TestTree.Node("index")]);
        Assert.Equal(["index", "inner", "m2", "c2", "l1"], tree.Visits);
    }

    [Fact]
    public async Task NodesCarryTheirParentChain()
    {
        var tree = Nested();
        var paths = new List<string>();
        ImageHandler handler = async (node, ct) =>
        {
            var names = new List<string>();
            for (var n = node; n is not null; n = n.Parent)
            {
                names.Insert(0, tree.NameOf(n.Descriptor));
            }
            paths.Add($"{node.Depth}:{string.Join('/', names)}");
            return await tree.Handler(node, ct);
        };
        await ImageHandlers.WalkAsync(handler, [TestTree.Node("index")]);
        Assert.Contains("3:index/inner/m1/l2", paths);
        Assert.Contains("2:index/m2/l1", paths);
        Assert.Equal("0:index", paths[0]);
    }

    [Fact]
    public async Task NodeRootsKeepTheirParents()
    {
        var tree = Nested();
        var parent = new ImageNode(TestTree.Node("index"));
        var depths = new List<int>();
        ImageHandler handler = async (node, ct) =>
        {
            depths.Add(node.Depth);
            return await tree.Handler(node, ct);
        };
        await ImageHandlers.WalkAsync(handler, [parent.Child(TestTree.Node("m3"))]);
        Assert.Equal([1, 2], depths);
    }

    [Fact]
    public async Task FirstErrorEndsTheWalk()
    {
        var tree = Nested();
        var failure = new UnavailableException("registry down");
        var handler = ImageHandlers.Chain(tree.Handler, (node, _) =>
            tree.NameOf(node.Descriptor) == "l1" ? throw failure : ValueTask.FromResult(HandlerResult.None));
        var thrown = await Assert.ThrowsAsync<UnavailableException>(() => ImageHandlers.WalkAsync(handler, [TestTree.Node("index")]));
        Assert.Same(failure, thrown);
        Assert.Equal(["index", "inner", "m1", "c1", "l1"], tree.Visits);
    }

    [Fact]
    public async Task CancellationThrowsOperationCanceled()
    {
        var tree = Nested();
        using var cts = new CancellationTokenSource();
        var handler = ImageHandlers.Chain(tree.Handler, (node, _) =>
        {
            if (tree.NameOf(node.Descriptor) == "m1")
            {
                cts.Cancel();
            }
            return ValueTask.FromResult(HandlerResult.None);
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ImageHandlers.WalkAsync(handler, [TestTree.Node("index")], cts.Token));
        Assert.Equal(["index", "inner", "m1"], tree.Visits);
    }
}
