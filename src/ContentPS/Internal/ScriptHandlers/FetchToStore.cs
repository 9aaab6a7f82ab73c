using ContentPS.Engine.Content;
using ContentPS.Engine.Content.Leases;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Transfer;

namespace ContentPS.Internal.ScriptHandlers;

/// <summary>
/// The built-in handler <c>FetchToStore</c>, as a pull does it: the descriptor goes into the walk's lease (so a
/// concurrent garbage collection keeps it), its content into the store (the pull's <see cref="FetchHandler"/>: nothing
/// is requested for content the store has; an index or manifest whose bytes the walk has read already is written from
/// them), then it is labeled with where it came from (<c>containerd.io/distribution.source.*</c>). Once the chain has
/// decided the descriptor's children, <see cref="LabelChildrenAsync"/> gives it their garbage-collection references.
/// </summary>
internal sealed class FetchToStore
{
    private readonly IContentStore _store;
    private readonly Lease _lease;
    private readonly FetchHandler _fetch;
    private readonly ImageHandler _distributionSource;

    public FetchToStore(IContentStore store, RegistryClient client, ImageReference reference, Lease lease)
    {
        _store = store;
        _lease = lease;
        _fetch = new FetchHandler(store, client, reference);
        _distributionSource = ImageHandlers.DistributionSource(store, reference);
    }

    public IContentStore Store => _store;

    public async Task FetchAsync(ImageNode node, byte[]? body, CancellationToken cancellationToken)
    {
        Descriptor descriptor = node.Descriptor;
        await _lease.AddAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false);
        if (body is not null)
        {
            using var source = new MemoryStream(body, writable: false);
            await ContentHelpers.WriteBlobAsync(_store, FetchHandler.IngestRef(descriptor), source, descriptor, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            await _fetch.FetchAsync(descriptor, cancellationToken).ConfigureAwait(false);
        }

        await _distributionSource(node, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Labels the fetched <paramref name="node"/> with a garbage-collection reference to each of <paramref name="children"/>.</summary>
    public async Task LabelChildrenAsync(ImageNode node, IReadOnlyList<Descriptor> children, CancellationToken cancellationToken)
    {
        if (children.Count == 0)
        {
            return;
        }

        ImageHandler label = ImageHandlers.SetChildrenLabels(_store, (_, _) => ValueTask.FromResult(HandlerResult.Of(children)));
        await label(node, cancellationToken).ConfigureAwait(false);
    }
}
