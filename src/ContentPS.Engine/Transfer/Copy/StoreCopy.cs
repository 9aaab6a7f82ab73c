using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>
/// Registry → store: an <see cref="ImagePull"/> under the destination's record name. No platforms: the
/// whole graph; some: the store's way (the index kept, those platforms' layers fetched); one as a plain
/// manifest: that manifest is the record's target. A record naming another digest is
/// FailedPrecondition (<c>TagConflict</c>) unless forced. Blob outcomes: Uploaded = written to the store.
/// </summary>
internal static class StoreCopy
{
    public static async Task<CopyResult> PullAsync(CopyRequest request, RegistryClient client, RegistryImageLocation source, StoreImageLocation destination,
        TransferTracker tracker, CancellationToken cancellationToken)
    {
        if (request.IncludeReferrers || request.ExtraTags is { Count: > 0 })
        {
            throw new InvalidArgumentException($"{destination}: referrers and extra tags can only be copied to a registry", ErrorIds.InvalidArgument)
            { Target = destination.Name };
        }

        var resolved = await client.ResolveAsync(source.Reference, cancellationToken).ConfigureAwait(false);
        var registry = new RegistryCopySource(client, resolved.Reference);
        var selected = request.PlatformAsManifest
            ? await RootSelection.SelectAsync(new CachingManifestSource(registry), registry, resolved.Descriptor, request.Platforms, true,
                resolved.Reference.ToString(), cancellationToken).ConfigureAwait(false)
            : new SelectedRoot(resolved.Descriptor, false, []);

        var records = new ImageRecordStore(destination.Store.Root);
        var existing = (await records.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(r => r.Name == destination.Name);
        if (existing is not null && !existing.Target.Digest.Equals(selected.Root.Digest) && !request.Force)
        {
            throw new FailedPreconditionException(
                $"the image \"{destination.Name}\" names {existing.Target.Digest}, not {selected.Root.Digest}; use Force to replace it", ErrorIds.TagConflict)
            { Target = destination.Name };
        }

        var some = request.Platforms is { Count: > 0 } && !request.PlatformAsManifest;
        var pulled = await ImagePull.PullAsync(new PullRequest
        {
            Reference = resolved.Reference,
            Root = selected.Root,
            Store = destination.Store,
            Client = client,
            Platforms = some ? request.Platforms : null,
            AllPlatforms = !some,
            Name = destination.Name,
            MaxConcurrency = request.MaxConcurrency,
            Tracker = tracker,
        }, cancellationToken).ConfigureAwait(false);

        var finished = tracker.Blobs().Where(b => b.State is BlobTransferState.Done or BlobTransferState.AlreadyPresent).ToList();
        var manifests = finished.Where(b => IsManifest(b.Blob)).ToList();
        var blobs = finished.Where(b => !IsManifest(b.Blob))
            .Select(b => new BlobPushResult(b.Blob, b.State == BlobTransferState.Done ? BlobPushOutcome.Uploaded : BlobPushOutcome.Existed))
            .ToList();
        return new CopyResult
        {
            Source = resolved.Reference.ToString(),
            Destination = destination.Name,
            SourceRoot = resolved.Descriptor,
            Root = pulled.Root,
            Tags = [destination.Name],
            Platforms = some || request.PlatformAsManifest ? pulled.Platforms : [],
            Blobs = blobs,
            ManifestsPushed = manifests.Count(m => m.State == BlobTransferState.Done),
            ManifestsExisted = manifests.Count(m => m.State == BlobTransferState.AlreadyPresent),
            BytesUploaded = pulled.BytesFetched,
            TotalBytes = pulled.TotalBytes,
        };
    }

    private static bool IsManifest(Descriptor descriptor) => MediaTypes.IsManifest(descriptor.MediaType) || MediaTypes.IsIndex(descriptor.MediaType);
}
