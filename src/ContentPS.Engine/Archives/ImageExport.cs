using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;

namespace ContentPS.Engine.Archives;

/// <summary>
/// Export: image records of a store → an OCI layout directory, an OCI archive or a docker archive.
/// What is written is planned first (<see cref="ExportPlanner"/>: manifests read, platform subsets cut,
/// every blob checked to be in the store), so a missing blob fails before the target is touched. Then the
/// blobs are streamed from the store into a temporary file or folder beside the target (for a tar: header,
/// then the bytes as they are read; memory stays at one copy buffer), the JSON files last, and the result
/// is renamed into place: a failure or a cancellation leaves nothing at the target.
/// <para>OCI layout/archive: <c>oci-layout</c>, <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c> for every blob of every
/// image (a rewritten index among them), <c>index.json</c> with one entry per image whose
/// <c>org.opencontainers.image.ref.name</c> is the image's name.</para>
/// <para>Docker archive: for each image one <c>manifest.json</c> entry per image manifest chosen (per
/// platform; attestations and artifacts left out), the first with <c>RepoTags</c> = the image's name as a
/// familiar <c>repo:tag</c> (names that are not tagged references get none), the config and layer files as
/// stored under <c>blobs/sha256/&lt;hex&gt;</c> — compressed layers stay compressed, which <c>docker load</c>
/// accepts (it decompresses and checks the config's diff IDs) — and <c>repositories</c>.</para>
/// </summary>
public static class ImageExport
{
    public static async Task<ExportResult> ExportAsync(ExportRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        var clock = Stopwatch.StartNew();
        var full = ExportTargetPath.Check(request.Path, request.Overwrite);
        var tracker = request.Tracker ?? NullTransferTracker.Instance;
        var plan = await ExportPlanner.PlanAsync(request, cancellationToken).ConfigureAwait(false);
        foreach (var blob in plan.StoreBlobs) tracker.Waiting(blob);

        long bytes = 0;
        await using (var target = Open(request.Format, full))
        {
            if (request.Format != ArchiveFormat.DockerArchive)
            {
                await target.WriteFileAsync(ImageLayout.LayoutFileName, Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"" + ImageLayout.CurrentVersion + "\"}"), cancellationToken).ConfigureAwait(false);
            }
            foreach (var blob in plan.StoreBlobs)
            {
                await WriteStoreBlobAsync(request, target, blob, tracker, cancellationToken).ConfigureAwait(false);
                bytes += blob.Size;
            }
            foreach (var (digest, body) in plan.MadeBlobs)
            {
                await target.WriteFileAsync(digest.RelativeBlobPath, body, cancellationToken).ConfigureAwait(false);
            }
            if (request.Format == ArchiveFormat.DockerArchive)
            {
                await WriteDockerFilesAsync(target, plan, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await target.WriteFileAsync(ImageLayout.IndexFileName, IndexJson(plan), cancellationToken).ConfigureAwait(false);
            }
            await target.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new ExportResult
        {
            Path = full,
            Format = request.Format,
            Images = plan.Images.Select(image => new ArchivedImage
            {
                Name = image.Name,
                Root = request.Format == ArchiveFormat.DockerArchive ? image.ImageManifests[0].Manifest : image.Root,
                SourceRoot = image.SourceRoot,
                IndexRewritten = image.IndexRewritten && request.Format != ArchiveFormat.DockerArchive,
                Manifests = image.ImageManifests.Select(m => m.Manifest).ToList(),
            }).ToList(),
            BlobsWritten = plan.StoreBlobs.Count,
            BytesWritten = bytes,
            Elapsed = clock.Elapsed,
        };
    }

    private static IArchiveTarget Open(ArchiveFormat format, string full) => format switch
    {
        ArchiveFormat.OciLayout => new LayoutDirectoryTarget(full),
        ArchiveFormat.OciArchive or ArchiveFormat.DockerArchive => new TarArchiveTarget(full),
        _ => throw new InvalidArgumentException($"unknown archive format {format}", ErrorIds.InvalidArgument),
    };

    private static async Task WriteStoreBlobAsync(ExportRequest request, IArchiveTarget target, Descriptor blob, ITransferTracker tracker, CancellationToken cancellationToken)
    {
        try
        {
            await using var reader = await request.Store.OpenReaderAsync(blob.Digest, cancellationToken).ConfigureAwait(false);
            await using var content = new ProgressReadStream(reader.AsStream(), offset => tracker.Downloading(blob, offset));
            await target.WriteBlobAsync(blob.Digest.RelativeBlobPath, content, blob.Size, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            tracker.Failed(blob, ex);
            throw;
        }
        tracker.Done(blob);
    }

    private static byte[] IndexJson(ExportPlan plan)
    {
        var manifests = plan.Images.Select(image =>
        {
            var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in image.Root.Annotations ?? new Dictionary<string, string>()) annotations[key] = value;
            annotations[AnnotationKeys.RefName] = image.Name;
            return new Descriptor
            {
                MediaType = image.Root.MediaType,
                Digest = image.Root.Digest,
                Size = image.Root.Size,
                Platform = image.Root.Platform,
                ArtifactType = image.Root.ArtifactType,
                Annotations = annotations,
            };
        }).ToList();
        var index = new ImageIndex { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = manifests };
        return JsonSerializer.SerializeToUtf8Bytes(index, OciJsonContext.Relaxed.ImageIndex);
    }

    private static async Task WriteDockerFilesAsync(IArchiveTarget target, ExportPlan plan, CancellationToken cancellationToken)
    {
        var entries = new List<DockerArchiveEntry>();
        var repositories = new List<(string, string, string)>();
        foreach (var image in plan.Images)
        {
            var tag = DockerTagOf(image.Name);
            for (var i = 0; i < image.ImageManifests.Count; i++)
            {
                var parts = image.ImageManifests[i];
                var tags = i == 0 && tag is not null ? new[] { tag.FamiliarString } : [];
                entries.Add(new DockerArchiveEntry(parts.Config.Digest.RelativeBlobPath, tags, parts.Layers.Select(l => l.Digest.RelativeBlobPath).ToList()));
                if (i == 0 && tag is not null && parts.Layers.Count > 0)
                {
                    repositories.Add((tag.FamiliarName, tag.Tag!, parts.Layers[^1].Digest.Encoded));
                }
            }
        }
        await target.WriteFileAsync(DockerArchiveJson.ManifestFileName, DockerArchiveJson.WriteManifest(entries), cancellationToken).ConfigureAwait(false);
        await target.WriteFileAsync(DockerArchiveJson.RepositoriesFileName, DockerArchiveJson.WriteRepositories(repositories), cancellationToken).ConfigureAwait(false);
    }

    // docker load tags an image only with name:tag (a digest reference is not a tag).
    private static ImageReference? DockerTagOf(string name) =>
        ImageReference.TryParse(name, out var reference, out _) && reference.Tag is not null && reference.Digest is null ? reference : null;

    private static void Validate(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Store, nameof(request.Store));
        ArgumentNullException.ThrowIfNull(request.Names, nameof(request.Names));
        if (request.Names.Count == 0)
        {
            throw new InvalidArgumentException("name at least one image to export", ErrorIds.InvalidArgument);
        }
        foreach (var name in request.Names) ImageName.Validate(name);
        if (request.AllPlatforms && request.Platforms is { Count: > 0 })
        {
            throw new InvalidArgumentException("ask for some platforms or for all of them, not both", ErrorIds.InvalidArgument);
        }
    }
}
