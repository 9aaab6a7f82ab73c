using System.Collections.Concurrent;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;

namespace ContentPS.Engine.Archives;

/// <summary>
/// Works out what an export writes, reading only manifests and indexes: for each image record its root,
/// cut down to the platforms asked for when it is an index (see <see cref="IndexSubset"/>), then the
/// whole graph below what is kept (<c>Walk(Chain(collect, Children))</c>). Every blob is then checked to
/// be in the store with its size: a missing one is NotFound (<c>BlobNotFound</c>) naming its digest.
/// </summary>
internal static class ExportPlanner
{
    public static async Task<ExportPlan> PlanAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        var store = request.Store;
        var source = new ContentStoreManifestSource(store);
        var records = new ImageRecordStore(store.Root);
        var platforms = request.Platforms is { Count: > 0 } asked ? asked : [Oci.Platforms.Default()];
        var docker = request.Format == ArchiveFormat.DockerArchive;
        var plan = new ExportPlan();
        var seen = new HashSet<Digest>();

        foreach (var name in request.Names.Distinct(StringComparer.Ordinal))
        {
            var record = await records.GetAsync(name, cancellationToken).ConfigureAwait(false);
            var sourceRoot = WithoutRefName(record.Target);
            var root = sourceRoot;
            var rewritten = false;
            IEnumerable<ImageNode> walkFrom = [new ImageNode(sourceRoot)];

            if (MediaTypes.IsIndex(sourceRoot.MediaType) && !request.AllPlatforms)
            {
                var (all, kept) = await IndexSubset.SelectAsync(source, sourceRoot, platforms, request.IncludeAttestations, cancellationToken).ConfigureAwait(false);
                if (kept.Count < all.Count)
                {
                    var body = IndexSubset.Rewrite(await source.ReadManifestAsync(sourceRoot, cancellationToken).ConfigureAwait(false), kept);
                    root = new Descriptor
                    {
                        MediaType = sourceRoot.MediaType,
                        Digest = Digest.FromBytes(body),
                        Size = body.Length,
                        Annotations = sourceRoot.Annotations,
                    };
                    rewritten = true;
                    plan.MadeBlobs[root.Digest] = body;
                    var rootNode = new ImageNode(root);
                    walkFrom = kept.Select(i => rootNode.Child(all[i])).ToList();
                }
            }

            var collected = new List<Descriptor>();
            var manifests = new ConcurrentQueue<ImageManifestParts>();
            var children = ImageHandlers.Children(source);
            ImageHandler collect = (node, _) =>
            {
                collected.Add(node.Descriptor);
                return ValueTask.FromResult(HandlerResult.None);
            };
            ImageHandler noteManifests = async (node, token) =>
            {
                var result = await children(node, token).ConfigureAwait(false);
                var found = result.Children ?? [];
                if (MediaTypes.IsManifest(node.Descriptor.MediaType) && !AttestationManifests.Is(node.Descriptor)
                    && found.Count > 0 && MediaTypes.IsConfig(found[0].MediaType))
                {
                    manifests.Enqueue(new ImageManifestParts(node.Descriptor, found[0], found.Skip(1).ToList()));
                }
                // A docker archive holds image manifests only: attestations are not walked into.
                if (docker && MediaTypes.IsIndex(node.Descriptor.MediaType))
                {
                    return result with { Children = (result.Children ?? []).Where(c => !AttestationManifests.Is(c)).ToList() };
                }
                return result;
            };
            await ImageHandlers.WalkAsync(ImageHandlers.Chain(collect, noteManifests), walkFrom, cancellationToken).ConfigureAwait(false);

            var parts = manifests.ToList();
            if (docker && parts.Count == 0)
            {
                throw new InvalidArgumentException(
                    $"image \"{name}\" ({sourceRoot.Digest}) has no image manifest (config {MediaTypes.DockerConfig} or {MediaTypes.OciConfig}) to write into a docker archive",
                    ErrorIds.UnsupportedMediaType) { Target = name };
            }

            IEnumerable<Descriptor> blobs = docker ? parts.SelectMany(p => p.Layers.Prepend(p.Config)) : collected;
            foreach (var blob in blobs)
            {
                if (seen.Add(blob.Digest)) plan.StoreBlobs.Add(blob);
            }
            plan.Images.Add(new PlannedImage(name, sourceRoot, root, rewritten, parts));
        }

        foreach (var blob in plan.StoreBlobs)
        {
            await EnsurePresentAsync(store, blob, cancellationToken).ConfigureAwait(false);
        }
        return plan;
    }

    private static async Task EnsurePresentAsync(IContentStore store, Descriptor blob, CancellationToken cancellationToken)
    {
        var info = await store.InfoAsync(blob.Digest, cancellationToken).ConfigureAwait(false);
        if (info.Size != blob.Size)
        {
            throw new DataLossException(
                $"blob {blob.Digest} holds {info.Size} bytes but its descriptor says {blob.Size}", ErrorIds.BlobCorrupt) { Target = blob.Digest.ToString() };
        }
    }

    private static Descriptor WithoutRefName(Descriptor target)
    {
        var annotations = target.Annotations?.Where(a => a.Key != AnnotationKeys.RefName).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        return new Descriptor
        {
            MediaType = target.MediaType,
            Digest = target.Digest,
            Size = target.Size,
            Urls = target.Urls,
            Platform = target.Platform,
            ArtifactType = target.ArtifactType,
            Annotations = annotations is { Count: > 0 } ? annotations : null,
        };
    }
}
