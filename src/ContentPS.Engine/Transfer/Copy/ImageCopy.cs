using System.Diagnostics;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>
/// Copies an image between registries, or from a local store to a registry (publish), or from a
/// registry into a store (a pull: <see cref="ImagePull"/>). To a registry: the source graph is read
/// first (manifests only, with the handler engine), then written children first — blobs in parallel,
/// each checked for existence, mounted when the source is a repository of the same registry (or a
/// store blob's distribution-source label names one), else streamed through without touching disk and
/// verified on the way; manifests after their blobs, indexes after their manifests; the tags last,
/// after the check that none names another digest (<c>TagConflict</c> unless
/// <see cref="CopyRequest.Force"/>). Referrers follow when asked for.
/// </summary>
public static partial class ImageCopy
{
    public static async Task<CopyResult> CopyAsync(CopyRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        var clock = Stopwatch.StartNew();
        var tracker = new TransferTracker(request.Tracker);
        var result = (request.Source, request.Destination) switch
        {
            (RegistryImageLocation source, RegistryImageLocation destination) =>
                await FromRegistryAsync(request, source, destination, tracker, cancellationToken).ConfigureAwait(false),
            (StoreImageLocation source, RegistryImageLocation destination) =>
                await FromStoreAsync(request, source, destination, tracker, cancellationToken).ConfigureAwait(false),
            (RegistryImageLocation source, StoreImageLocation destination) =>
                await StoreCopy.PullAsync(request, RequireClient(request, request.Client), source, destination, tracker, cancellationToken).ConfigureAwait(false),
            _ => throw new InvalidArgumentException(
                $"cannot copy from {request.Source} to {request.Destination}: one of them must be a registry", ErrorIds.InvalidArgument),
        };
        return result with { Elapsed = clock.Elapsed };
    }

    private static async Task<CopyResult> FromRegistryAsync(CopyRequest request, RegistryImageLocation source, RegistryImageLocation destination,
        TransferTracker tracker, CancellationToken cancellationToken)
    {
        var client = RequireClient(request, request.Client);
        var resolved = await client.ResolveAsync(source.Reference, cancellationToken).ConfigureAwait(false);
        return await ToRegistryAsync(request, new RegistryCopySource(client, resolved.Reference), resolved.Reference.ToString(), resolved.Descriptor,
            resolved.Reference.Tag, destination, tracker, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<CopyResult> FromStoreAsync(CopyRequest request, StoreImageLocation source, RegistryImageLocation destination,
        TransferTracker tracker, CancellationToken cancellationToken)
    {
        if (request.IncludeReferrers)
        {
            throw new InvalidArgumentException($"{source}: a store keeps no referrers to copy; copy them from their registry", ErrorIds.InvalidArgument)
            { Target = source.Name };
        }

        var record = await new ImageRecordStore(source.Store.Root).GetAsync(source.Name, cancellationToken).ConfigureAwait(false);
        var sourceTag = ImageReference.TryParse(source.Name, out var named, out _) ? named.Tag : null;
        return await ToRegistryAsync(request, new StoreCopySource(source.Store), source.Name, record.Target, sourceTag, destination, tracker,
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<CopyResult> ToRegistryAsync(CopyRequest request, ICopySource source, string sourceName, Descriptor sourceRoot,
        string? sourceTag, RegistryImageLocation destination, TransferTracker tracker, CancellationToken cancellationToken)
    {
        var client = RequireClient(request, request.DestinationClient ?? request.Client);
        var repository = destination.Reference;
        var manifests = new CachingManifestSource(source);
        var selected = await RootSelection.SelectAsync(manifests, source, sourceRoot, request.Platforms, request.PlatformAsManifest, sourceName,
            cancellationToken).ConfigureAwait(false);
        var root = selected.Root;
        if (repository.Digest is { } digest && digest != root.Digest.ToString())
        {
            throw new InvalidArgumentException($"the destination {repository} names {digest}, but the copy writes {root.Digest}", ErrorIds.InvalidArgument)
            { Target = repository.ToString() };
        }

        var tags = DestinationTags.For(repository, sourceTag, request.ExtraTags);
        var toWrite = await DestinationTags.ToWriteAsync(client, repository, tags, root, request.Force, cancellationToken).ConfigureAwait(false);

        var plan = await CopyPlan.BuildAsync(manifests, root, tracker, request.MaxConcurrency, cancellationToken).ConfigureAwait(false);
        var push = new RegistryGraphPush(client, repository, source, plan, tracker, request.MaxConcurrency);
        await push.RunAsync(toWrite, cancellationToken).ConfigureAwait(false);

        IReadOnlyList<Descriptor> referrers = [];
        var blobs = push.Blobs.ToList();
        int manifestsPushed = push.ManifestsPushed, manifestsExisted = push.ManifestsExisted;
        long bytesUploaded = push.BytesUploaded;
        if (request.IncludeReferrers)
        {
            // A rewritten index is new: nothing refers to it. Everything else keeps its digest and its referrers.
            var subjects = plan.Nodes.Values.Where(n => n.IsManifest && !(selected.IndexRewritten && n.Descriptor.Digest.Equals(root.Digest)))
                .Select(n => n.Descriptor.Digest);
            referrers = await ReferrersCopy.CopyAsync(source, client, repository, subjects, async (referrer, token) =>
            {
                var referrerPlan = await CopyPlan.BuildAsync(manifests, referrer, tracker, request.MaxConcurrency, token).ConfigureAwait(false);
                var referrerPush = new RegistryGraphPush(client, repository, source, referrerPlan, tracker, request.MaxConcurrency);
                await referrerPush.RunAsync([], token).ConfigureAwait(false);
                lock (blobs)
                {
                    blobs.AddRange(referrerPush.Blobs.Where(b => !blobs.Any(known => known.Descriptor.Digest.Equals(b.Descriptor.Digest))));
                    manifestsPushed += referrerPush.ManifestsPushed;
                    manifestsExisted += referrerPush.ManifestsExisted;
                    bytesUploaded += referrerPush.BytesUploaded;
                }

                return referrerPlan.Nodes.Values.Where(n => n.IsManifest).Select(n => n.Descriptor.Digest).ToList();
            }, cancellationToken).ConfigureAwait(false);
        }

        return new CopyResult
        {
            Source = sourceName,
            Destination = repository.ToString(),
            SourceRoot = sourceRoot,
            Root = root,
            Tags = tags,
            IndexRewritten = selected.IndexRewritten,
            Platforms = selected.Platforms,
            Blobs = blobs,
            ManifestsPushed = manifestsPushed,
            ManifestsExisted = manifestsExisted,
            Referrers = referrers,
            BytesUploaded = bytesUploaded,
            TotalBytes = tracker.Snapshot().TotalBytes,
        };
    }

    internal static RegistryClient RequireClient(CopyRequest request, RegistryClient? client) =>
        client ?? throw new InvalidArgumentException($"copying from {request.Source} to {request.Destination} needs a registry client", ErrorIds.InvalidArgument);

    private static void Validate(CopyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Source, nameof(request.Source));
        ArgumentNullException.ThrowIfNull(request.Destination, nameof(request.Destination));
        if (request.MaxConcurrency < 1)
        {
            throw new InvalidArgumentException($"the concurrency must be at least 1, not {request.MaxConcurrency}", ErrorIds.InvalidArgument);
        }

        if (request.PlatformAsManifest && request.Platforms is not { Count: 1 })
        {
            throw new InvalidArgumentException("copying a platform as a plain manifest needs exactly one platform", ErrorIds.InvalidArgument);
        }
    }
}
