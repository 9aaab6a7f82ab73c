using System.Diagnostics;
using ContentPS.Engine.Content;
using ContentPS.Engine.Content.Leases;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;

namespace ContentPS.Engine.Archives;

/// <summary>
/// Import: an OCI layout directory, an OCI archive or a docker archive (tar or tar.gz) → store content and
/// image records, in three steps, so that a bad archive changes nothing in the store:
/// <list type="number">
/// <item>read: a tar is read once, front to back; each file goes into its own ingest as it comes, hashed as
///   it is written and checked at once against the digest its <c>blobs/</c> name claims
///   (<see cref="ArchiveSpool"/>: memory bounded by 64 MiB of JSON entries plus a 1 MiB buffer); a layout
///   directory is read on demand;</item>
/// <item>plan: <c>index.json</c> (<see cref="OciLayoutReader"/>, preferred when present, as in docker 25+ archives
///   that carry both) or <c>manifest.json</c> (<see cref="DockerArchiveReader"/>) says which images and blobs
///   there are; a blob named but absent is NotFound, a size that differs <c>SizeMismatch</c>;</item>
/// <item>commit, under a lease that keeps a concurrent garbage collection away: the needed ingests are
///   committed with their expected digest and size (the store verifies them again), then the records are
///   written (<see cref="ImageRecordStore.SetAsync"/>). Ingests of files no image needs are aborted.</item>
/// </list>
/// Any failure before the commit leaves no blob, record, ingest or lease behind. Unsafe entries (<c>../</c>,
/// absolute names, links out, devices) are ArchiveUnsafeEntry; an archive cut short ArchiveTruncated.
/// An OCI root with no name is recorded under its digest (<c>sha256:…</c>), so its content is not collected.
/// </summary>
public static class ImageImport
{
    public static async Task<ImportResult> ImportAsync(ImportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Store, nameof(request.Store));
        ArgumentException.ThrowIfNullOrEmpty(request.Path, nameof(request.Path));
        if (request.Name is not null) ImageName.Validate(request.Name);
        var clock = Stopwatch.StartNew();
        var full = System.IO.Path.GetFullPath(request.Path);
        var tracker = request.Tracker ?? NullTransferTracker.Instance;

        await using var spool = await ReadAsync(request.Store, full, request.ReadProgress, cancellationToken).ConfigureAwait(false);
        var plan = await PlanAsync(spool, full, cancellationToken).ConfigureAwait(false);
        var names = NamesOf(plan, request.Name, full);

        await using var lease = await LeaseManager.Open(request.Store).CreateAsync(
            new LeaseOptions { Labels = new Dictionary<string, string> { ["contentps.import"] = full } }, cancellationToken).ConfigureAwait(false);
        int written = 0, existing = 0;
        long bytes = 0;
        foreach (var (digest, (descriptor, entry)) in plan.Blobs)
        {
            await lease.AddAsync(digest, cancellationToken).ConfigureAwait(false);
            Count(await spool.CommitAsync(entry, descriptor, cancellationToken).ConfigureAwait(false), descriptor);
        }
        foreach (var (digest, (descriptor, body)) in plan.MadeBlobs)
        {
            await lease.AddAsync(digest, cancellationToken).ConfigureAwait(false);
            Count(await ContentHelpers.WriteBlobAsync(request.Store, $"archive-import:{digest}", new MemoryStream(body, writable: false), descriptor, cancellationToken: cancellationToken).ConfigureAwait(false), descriptor);
        }

        var records = new ImageRecordStore(request.Store.Root);
        var images = new List<ArchivedImage>();
        foreach (var (name, image) in names)
        {
            var record = await records.SetAsync(name, image.Root, cancellationToken).ConfigureAwait(false);
            images.Add(new ArchivedImage { Name = name, Root = record.Target, SourceRoot = image.Root, Manifests = image.Manifests });
        }

        return new ImportResult
        {
            Path = full,
            Format = plan.Format,
            Images = images,
            BlobsWritten = written,
            BlobsExisting = existing,
            BytesWritten = bytes,
            Elapsed = clock.Elapsed,
        };

        void Count(bool committed, Descriptor descriptor)
        {
            if (committed)
            {
                written++;
                bytes += descriptor.Size;
                tracker.Done(descriptor);
            }
            else
            {
                existing++;
                tracker.AlreadyPresent(descriptor);
            }
        }
    }

    private static async Task<ArchiveSpool> ReadAsync(IContentStore store, string full, IProgress<long>? readProgress, CancellationToken cancellationToken)
    {
        if (Directory.Exists(full))
        {
            return await LayoutDirectorySource.OpenAsync(store, full, cancellationToken).ConfigureAwait(false);
        }
        if (!File.Exists(full))
        {
            throw new NotFoundException($"cannot find {full}: no such file or folder", ErrorIds.PathNotFound) { Target = full };
        }
        var spool = new ArchiveSpool(store, full);
        try
        {
            await TarArchiveSource.ReadAsync(full, spool, readProgress, cancellationToken).ConfigureAwait(false);
            return spool;
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<ImportPlan> PlanAsync(ArchiveSpool spool, string full, CancellationToken cancellationToken)
    {
        if (Directory.Exists(full))
        {
            return await OciLayoutReader.PlanAsync(spool, ArchiveFormat.OciLayout, cancellationToken).ConfigureAwait(false);
        }
        return spool.Contains(ImageLayout.IndexFileName)
            ? await OciLayoutReader.PlanAsync(spool, ArchiveFormat.OciArchive, cancellationToken).ConfigureAwait(false)
            : await DockerArchiveReader.PlanAsync(spool, cancellationToken).ConfigureAwait(false);
    }

    private static List<(string Name, ImportedRoot Image)> NamesOf(ImportPlan plan, string? overrideName, string full)
    {
        if (plan.Images.Count == 0)
        {
            throw ArchiveErrors.Invalid(full, "it holds no image");
        }
        if (overrideName is not null)
        {
            if (plan.Images.Select(i => i.Root.Digest).Distinct().Count() > 1)
            {
                throw new InvalidArgumentException(
                    $"{full} holds {plan.Images.Count} images; a single name can only be given to one", ErrorIds.InvalidArgument) { Target = overrideName };
            }
            return [(overrideName, plan.Images[0])];
        }
        var named = new List<(string, ImportedRoot)>();
        foreach (var image in plan.Images)
        {
            var names = image.Names.Count > 0 ? image.Names : [image.Root.Digest.ToString()];
            foreach (var name in names)
            {
                ImageName.Validate(name);
                named.Add((name, image));
            }
        }
        return named;
    }
}
