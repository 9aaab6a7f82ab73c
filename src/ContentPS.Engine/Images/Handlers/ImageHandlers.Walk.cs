using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Handlers;

public static partial class ImageHandlers
{
    /// <summary>
    /// Visits <paramref name="roots"/> and their descendants one at a time, depth-first, children in
    /// the order the handler returned them (containerd's <c>images.Walk</c>). A Skip result prunes
    /// the subtree; Stop and Continue both visit the children. The first error ends the walk and is
    /// thrown as is; cancellation throws <see cref="OperationCanceledException"/>. No deduplication:
    /// a descriptor reached along two paths is handled twice.
    /// </summary>
    public static Task WalkAsync(ImageHandler handler, IEnumerable<Descriptor> roots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roots);
        return WalkAsync(handler, roots.Select(root => new ImageNode(root)), cancellationToken);
    }

    /// <summary>As <see cref="WalkAsync(ImageHandler, IEnumerable{Descriptor}, CancellationToken)"/>, from nodes that may already have parents.</summary>
    public static async Task WalkAsync(ImageHandler handler, IEnumerable<ImageNode> roots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(roots);
        foreach (var root in roots.ToList())
        {
            await WalkNodeAsync(handler, root, 0, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WalkNodeAsync(ImageHandler handler, ImageNode node, int level, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await YieldIfDeepAsync(level).ConfigureAwait(false);
        var result = await handler(node, cancellationToken).ConfigureAwait(false);
        if (result.Signal == HandlerSignal.Skip)
        {
            return;
        }
        var children = ChildrenOf(result);
        for (var position = 0; position < children.Count; position++)
        {
            await WalkNodeAsync(handler, node.ChildAt(children[position], position), level + 1, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Handlers that complete synchronously make the recursion synchronous too; every
    /// <see cref="YieldEvery"/> levels the walk continues on a fresh thread-pool stack, so a
    /// pathologically deep tree (a chain of nested indexes) cannot overflow the stack.
    /// </summary>
    private static async ValueTask YieldIfDeepAsync(int level)
    {
        if (level > 0 && level % YieldEvery == 0)
        {
            await Task.Yield();
        }
    }

    private const int YieldEvery = 64;
}
