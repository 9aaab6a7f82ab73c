using ContentPS.Engine.Content.Leases;
using ContentPS.Engine.Images.Handlers;

namespace ContentPS.Engine.Transfer;

/// <summary>
/// Puts every descriptor a transfer handles into its lease before the next handler of the chain
/// looks for or writes the content, so a garbage collection in any process keeps it (see
/// <c>GarbageCollector</c> for why the order matters).
/// </summary>
public static class LeaseHandler
{
    /// <summary>A handler that adds the descriptor's digest to <paramref name="lease"/> and returns no children; put it first in a chain.</summary>
    public static ImageHandler AddToLease(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return async (node, cancellationToken) =>
        {
            await lease.AddAsync(node.Descriptor.Digest, cancellationToken).ConfigureAwait(false);
            return HandlerResult.None;
        };
    }
}
