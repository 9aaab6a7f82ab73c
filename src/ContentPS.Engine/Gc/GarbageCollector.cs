using ContentPS.Engine.Content;
using ContentPS.Engine.Content.Leases;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Gc;

/// <summary>
/// Mark and sweep over one store, safe while other processes pull into it.
/// <para>Roots: every descriptor in <c>index.json</c> (image records and unnamed entries alike); blobs labelled
/// <c>containerd.io/gc.root</c>; the content of live, unexpired leases; the expected digest of every locked
/// ingest. From the roots, <see cref="GcMarker"/> follows <c>containerd.io/gc.ref.content*</c> labels and the
/// bodies of indexes and manifests. Unmarked blobs (and their labels) are swept; so are unlocked ingests older
/// than <see cref="GcOptions.IngestMaxAge"/> that no live lease names, and dead or expired leases.</para>
/// <para>Why a concurrent writer loses nothing. A writer (a pull) creates a lease, adds each digest to it BEFORE
/// it checks whether that content is present or writes it, and writes its image record BEFORE it deletes the
/// lease. Lease creation and adds take the store's GC lock shared; a collection holds it exclusively from
/// before it lists the blobs until its sweep ends. Take a digest D the writer needs:
/// (1) If the add of D completed before the collection took the lock, the collection reads the lease after
/// that and marks D: D is not swept.
/// (2) Otherwise the add waited for the lock, so the writer's presence check and any write of D come after
/// the sweep: if the sweep removed D, the writer sees it absent and fetches it again.
/// (3) The lease ends after the record is written, and the collection reads the leases before index.json: if
/// it found the lease already gone, the record was there before it read index.json, so D is marked through it.
/// That needs the walk from the record to reach D even when the record's manifest was committed after the
/// listing (the whole pull can happen between the listing and the lease read): marking follows every marked
/// index and manifest that exists when it is marked, listed or not; only the sweep is limited to the listing.
/// (An earlier version followed listed blobs only, and the two-process test caught it losing layers.)
/// (4) A blob committed after the listing is never a sweep candidate, so even a writer that takes no lease
/// cannot lose content it commits while a collection runs (such a writer is not protected across
/// collections: it must label its content or use a lease).</para>
/// <para>Labels are read from the store's <see cref="FileLabelStore"/> files.</para>
/// </summary>
public static class GarbageCollector
{
    private static readonly string[] ListedAlgorithms = [Digest.Sha256, Digest.Sha512];

    public static async Task<GcResult> CollectAsync(LocalContentStore store, GcOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new GcOptions();
        var hook = options.PhaseHook ?? ((_, _) => Task.CompletedTask);
        cancellationToken.ThrowIfCancellationRequested();

        using var gcLock = await GcLock.AcquireExclusiveAsync(store.Root, cancellationToken).ConfigureAwait(false);
        await hook(GcPhase.Locked, cancellationToken).ConfigureAwait(false);

        // Candidates first (see (4) above).
        var present = ListBlobs(store);
        await hook(GcPhase.Listed, cancellationToken).ConfigureAwait(false);

        var now = DateTimeOffset.UtcNow;
        var leases = ReadLeases(store.Root, now);
        // After the leases (see (3) above).
        var records = await ReadIndexAsync(store.Root, cancellationToken).ConfigureAwait(false);
        var gcRoots = await ReadLabelRootsAsync(store, cancellationToken).ConfigureAwait(false);
        var ingests = await store.ListStatusesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

        var marker = new GcMarker(store);
        foreach (var record in records) marker.AddRoot(record.Digest, record.MediaType);
        foreach (var digest in gcRoots) marker.AddRoot(digest);
        foreach (var lease in leases.Live)
        {
            foreach (var digest in lease.Content) marker.AddRoot(digest);
        }
        foreach (var ingest in ingests)
        {
            if (ingest.Locked && ingest.Expected is { } expected) marker.AddRoot(expected);
        }
        await marker.MarkAsync(cancellationToken).ConfigureAwait(false);
        await hook(GcPhase.Marked, cancellationToken).ConfigureAwait(false);

        var removedContent = new List<RemovedContent>();
        foreach (var (digest, size) in present.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
        {
            if (marker.Marked.Contains(digest)) continue;
            cancellationToken.ThrowIfCancellationRequested();
            if (!options.DryRun && !await TryDeleteAsync(store, digest, cancellationToken).ConfigureAwait(false)) continue;
            removedContent.Add(new RemovedContent(digest, size));
        }

        var removedIngests = new List<IngestStatus>();
        if (options.IngestMaxAge is { } maxAge)
        {
            var leasedIngests = leases.Live.SelectMany(l => l.IngestKeys).ToHashSet(StringComparer.Ordinal);
            foreach (var ingest in ingests)
            {
                if (ingest.Locked || now - ingest.UpdatedAt < maxAge || leasedIngests.Contains(StoreLayout.IngestKey(ingest.Ref))) continue;
                if (!options.DryRun && !await TryAbortAsync(store, ingest.Ref, cancellationToken).ConfigureAwait(false)) continue;
                removedIngests.Add(ingest);
            }
        }

        if (!options.DryRun)
        {
            foreach (var directory in leases.DeadDirectories) LeaseFiles.Remove(directory);
        }

        return new GcResult
        {
            DryRun = options.DryRun,
            RemovedContent = removedContent,
            RemovedIngests = removedIngests,
            RemovedLeases = leases.DeadIds,
            KeptContent = present.Count - removedContent.Count,
            Warnings = marker.Warnings,
        };
    }

    /// <summary>Every committed blob and its size, from the folders of <c>blobs/</c>.</summary>
    private static Dictionary<Digest, long> ListBlobs(LocalContentStore store)
    {
        var present = new Dictionary<Digest, long>();
        foreach (var algorithm in ListedAlgorithms)
        {
            var directory = Path.Combine(store.Layout.BlobsDirectory, algorithm);
            if (!Directory.Exists(directory)) continue;
            foreach (var path in Directory.EnumerateFiles(directory))
            {
                if (!Digest.TryParse(algorithm + ":" + Path.GetFileName(path), out var digest)) continue;
                var file = new FileInfo(path);
                if (file.Exists) present[digest] = file.Length;
            }
        }
        return present;
    }

    private sealed record LeaseScan(IReadOnlyList<LeaseInfo> Live, IReadOnlyList<string> DeadDirectories, IReadOnlyList<string> DeadIds);

    private static LeaseScan ReadLeases(string root, DateTimeOffset now)
    {
        var live = new List<LeaseInfo>();
        var deadDirectories = new List<string>();
        var deadIds = new List<string>();
        foreach (var directory in new LeaseManager(root).LeaseDirectories())
        {
            var lease = LeaseFiles.Read(directory);
            if (lease is null)
            {
                // No lease.json: its creator died half way (creation holds the shared lock we exclude).
                if (!FileLock.IsHeld(Path.Combine(directory, LeaseFiles.Lock))) deadDirectories.Add(directory);
                continue;
            }
            if (lease.Protects(now))
            {
                live.Add(lease);
            }
            else
            {
                deadDirectories.Add(directory);
                deadIds.Add(lease.Id);
            }
        }
        deadIds.Sort(StringComparer.Ordinal);
        return new LeaseScan(live, deadDirectories, deadIds);
    }

    /// <summary>Every readable descriptor of index.json; a corrupt index.json stops the collection (DataLoss).</summary>
    private static async Task<List<Descriptor>> ReadIndexAsync(string root, CancellationToken cancellationToken)
    {
        var document = await IndexDocument.ReadAsync(Path.Combine(root, ImageLayout.IndexFileName), cancellationToken).ConfigureAwait(false);
        var roots = new List<Descriptor>();
        foreach (var entry in document.Manifests)
        {
            if (IndexDocument.DescriptorOf(entry) is { } descriptor) roots.Add(descriptor);
        }
        return roots;
    }

    /// <summary>
    /// Every blob labelled <c>containerd.io/gc.root</c>, listed or not (from the label files, read after the
    /// leases); a corrupt label file stops the collection (DataLoss).
    /// </summary>
    private static async Task<List<Digest>> ReadLabelRootsAsync(LocalContentStore store, CancellationToken cancellationToken)
    {
        var labels = new FileLabelStore(store.Root);
        var roots = new List<Digest>();
        foreach (var algorithm in ListedAlgorithms)
        {
            var directory = Path.Combine(labels.LabelsDirectory, algorithm);
            if (!Directory.Exists(directory)) continue;
            foreach (var path in Directory.EnumerateFiles(directory, "*.json"))
            {
                if (!Digest.TryParse(algorithm + ":" + Path.GetFileNameWithoutExtension(path), out var digest)) continue;
                var set = await labels.GetAsync(digest, cancellationToken).ConfigureAwait(false);
                if (set.Labels.ContainsKey(GcLabels.Root)) roots.Add(digest);
            }
        }
        return roots;
    }

    private static async Task<bool> TryDeleteAsync(LocalContentStore store, Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(digest, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NotFoundException)
        {
            return false;
        }
    }

    private static async Task<bool> TryAbortAsync(LocalContentStore store, string reference, CancellationToken cancellationToken)
    {
        try
        {
            await store.AbortAsync(reference, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (Errors.IsNotFound(ex) || Errors.IsUnavailable(ex))
        {
            return false; // finished, or resumed by a writer, meanwhile
        }
    }
}
