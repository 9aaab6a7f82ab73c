using System.Diagnostics;
using ContentPS.Engine.Content;
using ContentPS.Engine.Content.Leases;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer;

/// <summary>
/// Pull: resolve the reference, dispatch
/// <c>Chain(SkipNonDistributable, AddToLease, Fetch, PullSelection(SetChildrenLabels(Children)), DistributionSource)</c>
/// under a lease that lives until the image record is written,
/// over the graph (siblings in parallel, each digest once, the first error cancels the rest), then, only
/// once every selected blob is committed, write the image record (name → root descriptor) to
/// <c>index.json</c>. What is selected: see <see cref="PullSelection"/>. A layer platform that no index of
/// the graph offers is NotFound (<c>PlatformNotFound</c>) and no record is written.
/// </summary>
public static class ImagePull
{
    public static async Task<PullResult> PullAsync(PullRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        var clock = Stopwatch.StartNew();
        var store = request.Store;
        var tracker = new TransferTracker(request.Tracker);

        var (reference, root) = request.Root is { } known
            ? (request.Reference, known)
            : await ResolveAsync(request, cancellationToken).ConfigureAwait(false);
        var name = request.Name ?? DefaultName(reference, root);
        ImageName.Validate(name);

        var layerPlatforms = request.Platforms is { Count: > 0 } asked ? asked : [Platforms.Default()];
        var selection = new PullSelection(layerPlatforms, request.AllPlatforms, request.IncludeAttestations);
        // Folder syncs once before the record instead of two per blob (see DirectorySyncs).
        using var deferredSyncs = DirectorySyncs.Defer(store.Root);
        var fetch = new FetchHandler(store, request.Client, reference, tracker);
        var children = selection.Wrap(ImageHandlers.SetChildrenLabels(new UnchangedLabelSkipper(store), ImageHandlers.Children(new ContentStoreManifestSource(store))));
        // The lease keeps what this pull needs from a concurrent garbage collection until the record names it.
        await using var lease = await LeaseManager.Open(store).CreateAsync(
            new LeaseOptions { Labels = new Dictionary<string, string> { ["contentps.pull"] = reference.ToString() } },
            cancellationToken).ConfigureAwait(false);
        var handler = ImageHandlers.Chain(
            ImageHandlers.SkipNonDistributable(request.IncludeNonDistributable),
            LeaseHandler.AddToLease(lease),
            fetch.Handler,
            AnnounceChildren(children, tracker, request.IncludeNonDistributable),
            ImageHandlers.DistributionSource(store, reference));

        await ImageHandlers.DispatchAsync(handler, [new ImageNode(root)], new DispatchOptions { MaxConcurrency = request.MaxConcurrency }, cancellationToken)
            .ConfigureAwait(false);
        if (selection.Unmatched is { Count: > 0 } unmatched)
        {
            var offered = selection.Offered;
            throw new NotFoundException(
                $"{reference}: no manifest for {string.Join(", ", unmatched.Select(Platforms.Format))}"
                + (offered.Count > 0 ? $"; the image has {string.Join(", ", offered)}" : ""),
                ErrorIds.PlatformNotFound) { Target = reference.ToString() };
        }

        DirectorySyncs.Flush(store.Root);
        var records = new ImageRecordStore(store.Root);
        if (!await RecordNamesAsync(records, name, root, cancellationToken).ConfigureAwait(false))
        {
            await records.SetAsync(name, root, cancellationToken).ConfigureAwait(false);
        }

        var platforms = selection.PlatformsWithLayers;
        if (platforms.Count == 0 && MediaTypes.IsManifest(root.MediaType))
        {
            platforms = await RootPlatform.ReadAsync(store, root, cancellationToken).ConfigureAwait(false) is { } own ? [own] : [];
        }

        var totals = tracker.Snapshot();
        return new PullResult
        {
            Reference = reference,
            Name = name,
            Root = root,
            Platforms = platforms,
            BlobsFetched = totals.Done - totals.Resumed,
            BlobsPresent = totals.AlreadyPresent,
            BlobsResumed = totals.Resumed,
            BytesFetched = totals.BytesFetched,
            TotalBytes = totals.TotalBytes,
            Elapsed = clock.Elapsed,
        };
    }

    private static async Task<(ImageReference Reference, Descriptor Root)> ResolveAsync(PullRequest request, CancellationToken cancellationToken)
    {
        var resolved = await request.Client.ResolveAsync(request.Reference, cancellationToken).ConfigureAwait(false);
        return (resolved.Reference, resolved.Descriptor);
    }

    // A record that names this root already (a pull of an image that is there) stays as it is: rewriting
    // index.json takes the store lock and two fsyncs for nothing.
    private static async Task<bool> RecordNamesAsync(ImageRecordStore records, string name, Descriptor root, CancellationToken cancellationToken)
    {
        try
        {
            var target = (await records.GetAsync(name, cancellationToken).ConfigureAwait(false)).Target;
            return target.Digest.Equals(root.Digest) && target.Size == root.Size && string.Equals(target.MediaType, root.MediaType, StringComparison.Ordinal);
        }
        catch (Exception e) when (Errors.IsNotFound(e))
        {
            return false;
        }
    }

    // The normalized reference; a root given without tag or digest is named by its digest.
    private static string DefaultName(ImageReference reference, Descriptor root) =>
        (reference.Tag is null && reference.Digest is null ? reference.WithDigest(root.Digest.ToString()) : reference).ToString();

    // Tells the tracker about every child the pull will visit as soon as it is known, so totals grow early.
    private static ImageHandler AnnounceChildren(ImageHandler children, ITransferTracker tracker, bool includeNonDistributable) => async (node, cancellationToken) =>
    {
        var result = await children(node, cancellationToken).ConfigureAwait(false);
        foreach (var child in result.Children ?? [])
        {
            if (includeNonDistributable || !MediaTypes.IsNonDistributable(child.MediaType))
            {
                tracker.Waiting(child);
            }
        }

        return result;
    };

    private static void Validate(PullRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Reference, nameof(request.Reference));
        ArgumentNullException.ThrowIfNull(request.Store, nameof(request.Store));
        ArgumentNullException.ThrowIfNull(request.Client, nameof(request.Client));
        if (request.MaxConcurrency < 1)
        {
            throw new InvalidArgumentException($"the concurrency must be at least 1, not {request.MaxConcurrency}", ErrorIds.InvalidArgument);
        }

        if (request.AllPlatforms && request.Platforms is { Count: > 0 })
        {
            throw new InvalidArgumentException("ask for some platforms or for all of them, not both", ErrorIds.InvalidArgument);
        }

        request.Root?.Validate();
    }
}
