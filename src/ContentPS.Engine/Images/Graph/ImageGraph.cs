using System.Runtime.CompilerServices;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;

namespace ContentPS.Engine.Images.Graph;

/// <summary>
/// A streaming walk of an image graph: the nodes a pull of the same platform selection visits
/// (<see cref="PullSelection"/> over the <c>Children</c> handler), yielded one at a time.
/// </summary>
/// <remarks>
/// <para>Order: depth-first pre-order, children in the order the handler returns them (an index's manifests in index
/// order; a manifest's config, then its layers base first), the order <see cref="ImageHandlers.WalkAsync(ImageHandler, IEnumerable{ImageNode}, CancellationToken)"/>
/// visits them. No deduplication: a blob that two manifests share is yielded under each (its own parent, depth and platform).</para>
/// <para>Streaming: a node is yielded as soon as its own body is read (indexes and manifests; configs and layers are
/// never read). The walk only moves on when the consumer asks for the next node; it then starts reading the bodies
/// of the children it reached (siblings at once, at most <see cref="GraphWalkOptions.MaxConcurrency"/>). Disposing
/// the enumerator, or canceling, cancels every read still running and waits for them to end.</para>
/// <para>Failures are thrown when the walk reaches the node that failed, in walk order. A layer platform that no
/// index of a fully walked graph offers is NotFound (<c>PlatformNotFound</c>) after the last node, as for the pull.</para>
/// </remarks>
public static class ImageGraph
{
    public static async IAsyncEnumerable<WalkedNode> WalkAsync(
        Descriptor root, IManifestSource source, GraphWalkOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new GraphWalkOptions();
        Validate(options);

        var layerPlatforms = options.Platforms is { Count: > 0 } asked ? asked : [Platforms.Default()];
        var selection = new PullSelection(layerPlatforms, options.AllPlatforms, options.IncludeAttestations);
        using var reads = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var limiter = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        var started = new List<Task>();
        var pending = new Stack<Pending>();
        var cutOff = false;

        Pending Reach(ImageNode node)
        {
            var expand = IsDocument(node.Descriptor) && (node.Depth < (options.MaxDepth ?? int.MaxValue) || node.Parent is null);
            cutOff |= IsDocument(node.Descriptor) && node.Depth >= (options.MaxDepth ?? int.MaxValue);
            if (!expand)
            {
                return new Pending(node, null);
            }

            var reading = ExpandAsync(node, source, selection, limiter, reads.Token);
            started.Add(reading);
            return new Pending(node, reading);
        }

        try
        {
            pending.Push(Reach(new ImageNode(root)));
            while (pending.TryPop(out var next))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var expansion = next.Expansion is null ? null : await next.Expansion.ConfigureAwait(false);
                yield return new WalkedNode(next.Node, expansion?.Document);

                if (expansion is null || next.Node.Depth >= (options.MaxDepth ?? int.MaxValue))
                {
                    continue;
                }

                // Reached in order (so reads start in walk order), pushed in reverse (so they pop in walk order).
                var children = expansion.Children.Select((child, position) => Reach(next.Node.ChildAt(child, position))).ToList();
                for (var i = children.Count - 1; i >= 0; i--)
                {
                    pending.Push(children[i]);
                }
            }

            if (!cutOff && selection.Unmatched is { Count: > 0 } unmatched)
            {
                throw PlatformNotFound(root, unmatched, selection.Offered);
            }
        }
        finally
        {
            await CancelAsync(reads, started).ConfigureAwait(false);
        }
    }

    private static bool IsDocument(Descriptor descriptor) =>
        MediaTypes.IsIndex(descriptor.MediaType) || MediaTypes.IsManifest(descriptor.MediaType) || MediaTypes.IsSchema1(descriptor.MediaType);

    private static async Task<Expansion> ExpandAsync(ImageNode node, IManifestSource source, PullSelection selection, SemaphoreSlim limiter, CancellationToken cancellationToken)
    {
        await limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        byte[] body;
        try
        {
            body = await source.ReadManifestAsync(node.Descriptor, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            limiter.Release();
        }

        var children = selection.Wrap(ImageHandlers.Children(new ReadBodySource(node.Descriptor, body)));
        var result = await children(node, cancellationToken).ConfigureAwait(false);
        var document = ManifestParser.Parse(body, node.Descriptor.MediaType, node.Descriptor.Digest.ToString());
        return new Expansion(document, result.Signal == HandlerSignal.Skip ? [] : result.Children ?? []);
    }

    /// <summary>Cancels the reads still running and waits for them, so none outlives the walk; their failures are the walk's no more.</summary>
    private static async Task CancelAsync(CancellationTokenSource reads, List<Task> started)
    {
        try
        {
            await reads.CancelAsync().ConfigureAwait(false);
        }
        catch (AggregateException)
        {
            // A callback a source registered failed; the reads end anyway.
        }

        foreach (var reading in started)
        {
            try
            {
                await reading.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Canceled, or failed where the walk did not get to: not this walk's result.
            }
        }
    }

    private static NotFoundException PlatformNotFound(Descriptor root, IReadOnlyList<Platform> unmatched, IReadOnlyList<string> offered)
    {
        var message = $"{root.Digest}: no manifest for {string.Join(", ", unmatched.Select(Platforms.Format))}"
            + (offered.Count > 0 ? $"; the image has {string.Join(", ", offered)}" : "");
        return new NotFoundException(message, ErrorIds.PlatformNotFound) { Target = root.Digest.ToString() };
    }

    private static void Validate(GraphWalkOptions options)
    {
        if (options.MaxConcurrency < 1)
        {
            throw new InvalidArgumentException($"the concurrency must be at least 1, not {options.MaxConcurrency}", ErrorIds.InvalidArgument);
        }

        if (options.MaxDepth < 0)
        {
            throw new InvalidArgumentException($"the depth must be 0 or more, not {options.MaxDepth}", ErrorIds.InvalidArgument);
        }

        if (options.AllPlatforms && options.Platforms is { Count: > 0 })
        {
            throw new InvalidArgumentException("ask for some platforms or for all of them, not both", ErrorIds.InvalidArgument);
        }
    }

    private sealed record Pending(ImageNode Node, Task<Expansion>? Expansion);

    private sealed record Expansion(ParsedManifest Document, IReadOnlyList<Descriptor> Children);
}
