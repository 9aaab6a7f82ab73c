using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Images.Handlers;

public class ChainTests
{
    private static readonly ImageNode Root = new(TestTree.Node("root"));

    private static ImageHandler Returns(HandlerSignal signal, params string[] children) =>
        (_, _) => ValueTask.FromResult(new HandlerResult(children.Select(TestTree.Node).ToList(), signal));

    private static ImageHandler Counting(List<string> log, string name, HandlerResult result) => (_, _) =>
    {
        log.Add(name);
        return ValueTask.FromResult(result);
    };

    private static List<string> Names(HandlerResult result) =>
        result.Children.Select(d => d.Digest).Select(d => new[] { "a", "b", "c", "d" }.Single(n => TestTree.Node(n).Digest == d)).ToList();

    [Fact]
    public async Task ConcatenatesChildrenInHandlerOrder()
    {
        var chain = ImageHandlers.Chain(Returns(HandlerSignal.Continue, "a", "b"), Returns(HandlerSignal.Continue), Returns(HandlerSignal.Continue, "c"));
        var result = await chain(Root, CancellationToken.None);
        Assert.Equal(HandlerSignal.Continue, result.Signal);
        Assert.Equal(["a", "b", "c"], Names(result));
    }

    [Fact]
    public async Task StopEndsTheChainKeepingChildrenSoFar()
    {
        var log = new List<string>();
        var chain = ImageHandlers.Chain(
            Returns(HandlerSignal.Continue, "a"),
            Returns(HandlerSignal.Stop, "b"),
            Counting(log, "after", HandlerResult.Of([TestTree.Node("c")])));
        var result = await chain(Root, CancellationToken.None);
        Assert.Equal(HandlerSignal.Continue, result.Signal);
        Assert.Equal(["a", "b"], Names(result));
        Assert.Empty(log);
    }

    [Fact]
    public async Task SkipPrunesAndEndsTheChain()
    {
        var log = new List<string>();
        var chain = ImageHandlers.Chain(
            Returns(HandlerSignal.Continue, "a"),
            Returns(HandlerSignal.Skip, "b"),
            Counting(log, "after", HandlerResult.None));
        var result = await chain(Root, CancellationToken.None);
        Assert.Equal(HandlerSignal.Skip, result.Signal);
        Assert.Empty(result.Children);
        Assert.Empty(log);
    }

    [Fact]
    public async Task NestedChainStopOnlyEndsTheInnerChain()
    {
        var inner = ImageHandlers.Chain(Returns(HandlerSignal.Stop, "a"), Returns(HandlerSignal.Continue, "b"));
        var outer = ImageHandlers.Chain(inner, Returns(HandlerSignal.Continue, "c"));
        var result = await outer(Root, CancellationToken.None);
        Assert.Equal(["a", "c"], Names(result));
    }

    [Fact]
    public async Task EmptyChainAndDefaultResultsGiveNoChildren()
    {
        var result = await ImageHandlers.Chain()(Root, CancellationToken.None);
        Assert.Equal(HandlerSignal.Continue, result.Signal);
        Assert.Empty(result.Children);

        var withDefault = await ImageHandlers.Chain((_, _) => ValueTask.FromResult(default(HandlerResult)), Returns(HandlerSignal.Continue, "d"))(Root, CancellationToken.None);
        Assert.Equal(["d"], Names(withDefault));
    }

    [Fact]
    public void NullHandlersAreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => ImageHandlers.Chain(null!));
        var ex = Assert.Throws<ArgumentNullException>(() => ImageHandlers.Chain(Returns(HandlerSignal.Continue), null!));
        Assert.Equal(ErrorClass.InvalidArgument, Errors.Resolve(ex));
    }

    [Fact]
    public async Task ErrorsPropagateAndLaterHandlersDoNotRun()
    {
        var log = new List<string>();
        var failure = new NotFoundException("gone", ErrorIds.BlobNotFound);
        var chain = ImageHandlers.Chain((_, _) => throw failure, Counting(log, "after", HandlerResult.None));
        var thrown = await Assert.ThrowsAsync<NotFoundException>(async () => await chain(Root, CancellationToken.None));
        Assert.Same(failure, thrown);
        Assert.Empty(log);
    }

    [Fact]
    public async Task CanceledTokenStopsBeforeTheNextHandler()
    {
        using var cts = new CancellationTokenSource();
        var log = new List<string>();
        var chain = ImageHandlers.Chain(
            (_, _) =>
            {
                cts.Cancel();
                return ValueTask.FromResult(HandlerResult.None);
            },
            Counting(log, "after", HandlerResult.None));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await chain(Root, cts.Token));
        Assert.Empty(log);
    }
}
