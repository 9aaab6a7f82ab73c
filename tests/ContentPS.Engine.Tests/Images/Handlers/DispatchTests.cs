using System.Collections.Concurrent;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Images.Handlers;

public class DispatchTests
{
    // Hang guard only: no assertion depends on elapsed time.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static TestTree Fan(string root, int count, string prefix)
    {
        var names = Enumerable.Range(0, count).Select(i => $"{prefix}{i}").ToArray();
        return new TestTree().Add(root, names);
    }

    /// <summary>Counts handler executions in flight; each waits until <paramref name="gateAt"/> are in flight at once (or the gate opened earlier).</summary>
    private sealed class ConcurrencyProbe(int gateAt)
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _current;
        private int _max;

        public int Max => Volatile.Read(ref _max);

        public async ValueTask RunAsync(CancellationToken ct)
        {
            var now = Interlocked.Increment(ref _current);
            int seen;
            while ((seen = Volatile.Read(ref _max)) < now && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }
            if (now >= gateAt)
            {
                _gate.TrySetResult();
            }
            try
            {
                await _gate.Task.WaitAsync(HangGuard, ct);
            }
            finally
            {
                Interlocked.Decrement(ref _current);
            }
        }
    }

    private static ImageHandler Probed(TestTree tree, ConcurrencyProbe probe, string leafPrefix) => async (node, ct) =>
    {
        if (tree.NameOf(node.Descriptor).StartsWith(leafPrefix, StringComparison.Ordinal))
        {
            await probe.RunAsync(ct);
        }
        return await tree.Handler(node, ct);
    };

    [Fact]
    public async Task LimiterBoundsConcurrentHandlers()
    {
        var tree = Fan("root", 8, "leaf");
        var probe = new ConcurrencyProbe(gateAt: 3);
        await ImageHandlers.DispatchAsync(Probed(tree, probe, "leaf"), [TestTree.Node("root")], maxConcurrency: 3).WaitAsync(HangGuard);
        // The gate opens only when 3 handlers run at once: the limit is reached, and never exceeded.
        Assert.Equal(3, probe.Max);
        Assert.Equal(9, tree.Visits.Count);
    }

    [Fact]
    public async Task UnboundedDispatchRunsAllSiblingsAtOnce()
    {
        var tree = Fan("root", 6, "leaf");
        var probe = new ConcurrencyProbe(gateAt: 6);
        await ImageHandlers.DispatchAsync(Probed(tree, probe, "leaf"), [TestTree.Node("root")], maxConcurrency: 0).WaitAsync(HangGuard);
        Assert.Equal(6, probe.Max);
    }

    [Fact]
    public async Task LimitOfOneRunsOneHandlerAtATime()
    {
        var tree = Fan("root", 5, "leaf");
        var probe = new ConcurrencyProbe(gateAt: 1);
        await ImageHandlers.DispatchAsync(Probed(tree, probe, "leaf"), [TestTree.Node("root")], maxConcurrency: 1).WaitAsync(HangGuard);
        Assert.Equal(1, probe.Max);
        Assert.Equal(6, tree.Visits.Count);
    }

    [Fact]
    public async Task DeepTreeWithLimitOneFinishes()
    {
        // 200 levels, each with two children: one leaf and the next level. A limiter that bounded
        // subtrees would hold the single slot in level 0 while waiting for level 1.
        var tree = new TestTree();
        for (var i = 0; i < 200; i++)
        {
            tree.Add($"level{i}", $"leaf{i}", $"level{i + 1}");
        }
        await ImageHandlers.DispatchAsync(tree.Handler, [TestTree.Node("level0")], maxConcurrency: 1).WaitAsync(HangGuard);
        Assert.Equal(201 + 200, tree.Visits.Count);
        Assert.Equal(tree.Visits.Count, tree.Visits.Distinct().Count());
    }

    [Fact]
    public async Task VeryDeepChainOfSynchronousHandlersDoesNotOverflowTheStack()
    {
        // A crafted chain of nested indexes, each answered synchronously: recursion must not grow the stack without bound.
        var tree = new TestTree();
        for (var i = 0; i < 20_000; i++)
        {
            tree.Add($"n{i}", $"n{i + 1}");
        }
        await ImageHandlers.DispatchAsync(tree.Handler, [TestTree.Node("n0")], maxConcurrency: 1).WaitAsync(HangGuard);
        Assert.Equal(20_001, tree.Visits.Count);
        tree.Visits.Clear();
        await ImageHandlers.WalkAsync(tree.Handler, [TestTree.Node("n0")]).WaitAsync(HangGuard);
        Assert.Equal(20_001, tree.Visits.Count);
    }

    [Fact]
    public async Task ParentsAreHandledBeforeTheirChildren()
    {
        var tree = new TestTree().Add("index", "m1", "m2").Add("m1", "c1", "l1").Add("m2", "c2", "l2");
        await ImageHandlers.DispatchAsync(tree.Handler, [TestTree.Node("index")], maxConcurrency: 4).WaitAsync(HangGuard);
        var order = tree.Visits.ToList();
        Assert.Equal(7, order.Count);
        Assert.Equal("index", order[0]);
        Assert.True(order.IndexOf("m1") < order.IndexOf("l1"));
        Assert.True(order.IndexOf("m2") < order.IndexOf("c2"));
    }

    [Fact]
    public async Task FirstErrorCancelsSiblingsAndIsTheOneThrown()
    {
        var tree = Fan("root", 3, "leaf");
        var waiterStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiterCanceled = false;
        var first = new DataLossException("corrupt blob", ErrorIds.DigestMismatch);
        ImageHandler handler = async (node, ct) =>
        {
            switch (tree.NameOf(node.Descriptor))
            {
                case "leaf0":
                    await waiterStarted.Task.WaitAsync(HangGuard);
                    throw first;
                case "leaf1":
                    waiterStarted.TrySetResult();
                    try
                    {
                        await Task.Delay(Timeout.Infinite, ct).WaitAsync(HangGuard);
                    }
                    catch (OperationCanceledException)
                    {
                        waiterCanceled = true;
                        // Errors after the first are dropped, whatever their class.
                        throw new InternalException("late failure after cancellation");
                    }
                    return HandlerResult.None;
                default:
                    return await tree.Handler(node, ct);
            }
        };

        var thrown = await Assert.ThrowsAsync<DataLossException>(
            () => ImageHandlers.DispatchAsync(handler, [TestTree.Node("root")], maxConcurrency: 0).WaitAsync(HangGuard));
        Assert.Same(first, thrown);
        Assert.True(waiterCanceled);
    }

    [Fact]
    public async Task ErrorPreventsTheFailedNodesChildren()
    {
        var tree = new TestTree().Add("root", "bad").Add("bad", "child");
        var handler = ImageHandlers.Chain(tree.Handler, (node, _) =>
            tree.NameOf(node.Descriptor) == "bad" ? throw new NotFoundException("missing") : ValueTask.FromResult(HandlerResult.None));
        await Assert.ThrowsAsync<NotFoundException>(() => ImageHandlers.DispatchAsync(handler, [TestTree.Node("root")], 2));
        Assert.DoesNotContain("child", tree.Visits);
    }

    [Fact]
    public async Task SkipPrunesTheSubtree()
    {
        var tree = new TestTree().Add("index", "m1", "m2").Add("m1", "c1").Add("m2", "c2");
        var handler = ImageHandlers.Chain(tree.Handler, (node, _) =>
            ValueTask.FromResult(tree.NameOf(node.Descriptor) == "m1" ? HandlerResult.Skip : HandlerResult.None));
        await ImageHandlers.DispatchAsync(handler, [TestTree.Node("index")], 2);
        Assert.Equal(["c2", "index", "m1", "m2"], tree.Visits.Order());
    }

    [Fact]
    public async Task SharedDigestsAreHandledOncePerDispatch()
    {
        var tree = new TestTree().Add("index", "m1", "m2", "m1").Add("m1", "config", "base", "l1").Add("m2", "config", "base", "l2");
        await ImageHandlers.DispatchAsync(tree.Handler, [TestTree.Node("index"), TestTree.Node("m2")], maxConcurrency: 3);
        Assert.Equal(["base", "config", "index", "l1", "l2", "m1", "m2"], tree.Visits.Order());
    }

    [Fact]
    public async Task DeduplicationCanBeTurnedOff()
    {
        var tree = new TestTree().Add("index", "m1", "m2").Add("m1", "config", "l1").Add("m2", "config", "l2");
        await ImageHandlers.DispatchAsync(tree.Handler, [new ImageNode(TestTree.Node("index"))],
            new DispatchOptions { MaxConcurrency = 2, HandleEachDigestOnce = false });
        Assert.Equal(["config", "config", "index", "l1", "l2", "m1", "m2"], tree.Visits.Order());
    }

    [Fact]
    public async Task EachDispatchHasItsOwnDeduplication()
    {
        var tree = new TestTree().Add("m1", "config");
        await ImageHandlers.DispatchAsync(tree.Handler, [TestTree.Node("m1")], 1);
        await ImageHandlers.DispatchAsync(tree.Handler, [TestTree.Node("m1")], 1);
        Assert.Equal(4, tree.Visits.Count);
    }

    [Fact]
    public async Task CallerCancellationThrowsOperationCanceled()
    {
        var tree = Fan("root", 4, "leaf");
        using var cts = new CancellationTokenSource();
        var started = new ConcurrentBag<string>();
        ImageHandler handler = async (node, ct) =>
        {
            var name = tree.NameOf(node.Descriptor);
            started.Add(name);
            if (name == "leaf2")
            {
                cts.Cancel();
            }
            if (name.StartsWith("leaf", StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.Infinite, ct).WaitAsync(HangGuard);
            }
            return await tree.Handler(node, ct);
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ImageHandlers.DispatchAsync(handler, [TestTree.Node("root")], 0, cts.Token).WaitAsync(HangGuard));
        Assert.Contains("leaf2", started);
    }

    [Fact]
    public async Task AlreadyCanceledTokenHandlesNothing()
    {
        var tree = Fan("root", 2, "leaf");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ImageHandlers.DispatchAsync(tree.Handler, [TestTree.Node("root")], 2, new CancellationToken(canceled: true)));
        Assert.Empty(tree.Visits);
    }

    [Fact]
    public async Task NoRootsIsNothingToDo()
    {
        var tree = new TestTree();
        await ImageHandlers.DispatchAsync(tree.Handler, Array.Empty<Descriptor>(), 2);
        Assert.Empty(tree.Visits);
    }
}
