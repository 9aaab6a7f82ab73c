using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Handlers;

/// <summary>
/// The handler engine (containerd's <c>images.Handlers</c>, <c>Walk</c>, <c>Dispatch</c>) and the
/// library handlers. Named ImageHandlers, not Handlers, so it does not collide with its namespace.
/// </summary>
public static partial class ImageHandlers
{
    /// <summary>
    /// Runs <paramref name="handlers"/> in order for one descriptor and concatenates their children.
    /// <see cref="HandlerSignal.Stop"/> ends the chain for this descriptor, keeping the children
    /// gathered so far (the stopping handler's included), and the chain itself answers Continue;
    /// <see cref="HandlerSignal.Skip"/> ends it and prunes the subtree (the chain answers Skip, no children).
    /// </summary>
    public static ImageHandler Chain(params ImageHandler[] handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var steps = (ImageHandler[])handlers.Clone();
        for (var i = 0; i < steps.Length; i++)
        {
            if (steps[i] is null)
            {
                throw new ArgumentNullException(nameof(handlers), $"handler {i} of the chain is null");
            }
        }

        return async (node, cancellationToken) =>
        {
            List<Descriptor>? children = null;
            foreach (var handler in steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = await handler(node, cancellationToken).ConfigureAwait(false);
                if (result.Signal == HandlerSignal.Skip)
                {
                    return HandlerResult.Skip;
                }
                if (result.Children is { Count: > 0 } some)
                {
                    (children ??= []).AddRange(some);
                }
                if (result.Signal == HandlerSignal.Stop)
                {
                    break;
                }
            }
            return children is null ? HandlerResult.None : HandlerResult.Of(children);
        };
    }

    /// <summary>The children of a result, never null (a default <see cref="HandlerResult"/> has none).</summary>
    internal static IReadOnlyList<Descriptor> ChildrenOf(in HandlerResult result) => result.Children ?? [];
}
