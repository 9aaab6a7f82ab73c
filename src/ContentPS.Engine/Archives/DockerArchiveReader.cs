using System.Text.Json;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Archives;

/// <summary>
/// The images of a <c>docker save</c> archive, from its <c>manifest.json</c>: per entry the config and
/// layer files (found by path, links followed) keep their digests — the sha256 of their bytes — and a Docker
/// schema 2 manifest is made for them as skopeo makes it (<see cref="DockerSchema2"/>), so an uncompressed
/// archive (what docker and skopeo write) gives the manifest digest skopeo computes. An uncompressed layer
/// must hash to the config's diff ID at its position (FailedPrecondition <c>DigestMismatch</c> otherwise);
/// a gzip layer is stored as it is (its diff ID is not checked: that would mean decompressing it).
/// Names: each <c>RepoTags</c> item, normalized (<c>busybox:latest</c> → <c>docker.io/library/busybox:latest</c>).
/// </summary>
internal static class DockerArchiveReader
{
    public static async Task<ImportPlan> PlanAsync(ArchiveSpool spool, CancellationToken cancellationToken)
    {
        var plan = new ImportPlan { Format = ArchiveFormat.DockerArchive };
        var manifestEntry = await spool.GetAsync(DockerArchiveJson.ManifestFileName, cancellationToken).ConfigureAwait(false)
            ?? throw ArchiveErrors.Invalid(spool.Archive, "it is neither an OCI layout nor a docker archive: it has no index.json and no manifest.json");
        var entries = DockerArchiveJson.ReadManifest(manifestEntry.Body ?? [], spool.Archive);
        if (entries.Count == 0) throw ArchiveErrors.Invalid(spool.Archive, $"its {DockerArchiveJson.ManifestFileName} lists no image");

        foreach (var item in entries)
        {
            var config = await FileAsync(spool, item.Config, cancellationToken).ConfigureAwait(false);
            var diffIds = DiffIdsOf(spool.Archive, item.Config, config);
            if (diffIds.Count != item.Layers.Count)
            {
                throw ArchiveErrors.Invalid(spool.Archive, $"{item.Config} lists {diffIds.Count} diff IDs but {DockerArchiveJson.ManifestFileName} {item.Layers.Count} layers");
            }
            var configDescriptor = new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = config.Digest, Size = config.Size };
            plan.Blobs.TryAdd(config.Digest, (configDescriptor, config));

            var layers = new List<Descriptor>();
            for (var i = 0; i < item.Layers.Count; i++)
            {
                var layer = await FileAsync(spool, item.Layers[i], cancellationToken).ConfigureAwait(false);
                if (!layer.IsGzip && layer.Digest != diffIds[i])
                {
                    throw new FailedPreconditionException(
                        $"{spool.Archive}: layer {item.Layers[i]} hashes to {layer.Digest} but {item.Config} says its diff ID is {diffIds[i]}",
                        ErrorIds.DigestMismatch) { Target = diffIds[i].ToString() };
                }
                var descriptor = new Descriptor { MediaType = MediaTypes.DockerLayerGzip, Digest = layer.Digest, Size = layer.Size };
                layers.Add(descriptor);
                plan.Blobs.TryAdd(layer.Digest, (descriptor, layer));
            }

            var body = DockerSchema2.Build(configDescriptor, layers);
            var manifest = Descriptor.FromContent(MediaTypes.DockerManifest, body);
            plan.MadeBlobs.TryAdd(manifest.Digest, (manifest, body));
            plan.Images.Add(new ImportedRoot(item.RepoTags.Select(tag => Normalize(spool.Archive, tag)).ToList(), manifest, [manifest]));
        }
        return plan;
    }

    private static async Task<SpooledEntry> FileAsync(ArchiveSpool spool, string path, CancellationToken cancellationToken)
    {
        var name = ArchiveEntryNames.Normalize(spool.Archive, path);
        return await spool.GetAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw ArchiveErrors.MissingBlob(spool.Archive, path, DockerArchiveJson.ManifestFileName);
    }

    private static IReadOnlyList<Digest> DiffIdsOf(string archive, string path, SpooledEntry config)
    {
        try
        {
            var parsed = config.Body is null ? null : JsonSerializer.Deserialize(config.Body, OciJsonContext.Default.ImageConfig);
            return parsed?.RootFs?.DiffIds ?? throw ArchiveErrors.Invalid(archive, $"the config {path} is not an image config");
        }
        catch (Exception ex) when (ex is JsonException or ClassifiedException and not InvalidArgumentException { ErrorId: ErrorIds.ArchiveInvalid })
        {
            throw ArchiveErrors.Invalid(archive, $"the config {path} is not an image config: {ex.Message}", ex);
        }
    }

    private static string Normalize(string archive, string tag) =>
        ImageReference.TryParse(tag, out var reference, out var error)
            ? reference.ToString()
            : throw ArchiveErrors.Invalid(archive, $"RepoTags holds \"{tag}\", which is not an image reference: {error}");
}
