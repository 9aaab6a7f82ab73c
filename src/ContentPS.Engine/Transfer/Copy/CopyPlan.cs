using System.Collections.Concurrent;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>One descriptor of a copy's graph: its children to copy first, and its body when it is a manifest or index.</summary>
internal sealed record CopyNode(Descriptor Descriptor, IReadOnlyList<Descriptor> Children, byte[]? Body)
{
    public bool IsManifest => Body is not null;
}

/// <summary>
/// The graph a copy writes, read from the source before anything is written: every manifest and index
/// (bodies kept), config and layer under <see cref="Root"/>. Non-distributable layers are left out: the
/// manifests still name them, nothing copies them.
/// </summary>
internal sealed class CopyPlan
{
    private readonly ConcurrentDictionary<Digest, CopyNode> _nodes = new();

    private CopyPlan(Descriptor root) => Root = root;

    public Descriptor Root { get; }

    public IReadOnlyDictionary<Digest, CopyNode> Nodes => _nodes;

    public CopyNode this[Digest digest] => _nodes[digest];

    /// <summary>Walks the graph with the handler engine (<c>Children</c> over <paramref name="manifests"/>), siblings in parallel.</summary>
    public static async Task<CopyPlan> BuildAsync(CachingManifestSource manifests, Descriptor root, ITransferTracker tracker, int maxConcurrency,
        CancellationToken cancellationToken)
    {
        var plan = new CopyPlan(root);
        var children = ImageHandlers.Children(manifests);
        ImageHandler record = async (node, token) =>
        {
            var descriptor = node.Descriptor;
            var result = await children(node, token).ConfigureAwait(false);
            var copied = (result.Children ?? []).Where(c => !MediaTypes.IsNonDistributable(c.MediaType)).ToList();
            plan._nodes.TryAdd(descriptor.Digest, new CopyNode(descriptor, copied, manifests.Body(descriptor.Digest)));
            tracker.Waiting(descriptor);
            return HandlerResult.Of(copied);
        };
        await ImageHandlers.DispatchAsync(record, [new ImageNode(root)], new DispatchOptions { MaxConcurrency = maxConcurrency }, cancellationToken)
            .ConfigureAwait(false);
        return plan;
    }
}
