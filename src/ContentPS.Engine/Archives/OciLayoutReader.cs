using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Archives;

/// <summary>
/// The images of an OCI layout (directory or archive): the entries of <c>index.json</c>, each walked whole
/// (<c>Walk(Chain(require, Children))</c>) so every blob it names is found in the archive. An entry's name is
/// its <c>io.containerd.image.name</c> annotation (a full reference, as containerd and docker write it) or else
/// its <c>org.opencontainers.image.ref.name</c>.
/// </summary>
internal static class OciLayoutReader
{
    public const string ContainerdImageNameAnnotation = "io.containerd.image.name";

    public static async Task<ImportPlan> PlanAsync(ArchiveSpool spool, ArchiveFormat format, CancellationToken cancellationToken)
    {
        var plan = new ImportPlan { Format = format };
        var indexEntry = await spool.GetAsync(ImageLayout.IndexFileName, cancellationToken).ConfigureAwait(false)
            ?? throw ArchiveErrors.Invalid(spool.Archive, $"it has no {ImageLayout.IndexFileName}");
        ImageIndex index;
        try
        {
            index = ManifestParser.ParseIndex(indexEntry.Body, MediaTypes.OciIndex, ImageLayout.IndexFileName);
        }
        catch (Exception ex) when (ex is ClassifiedException)
        {
            throw ArchiveErrors.Invalid(spool.Archive, $"its {ImageLayout.IndexFileName} is not an image index: {ex.Message}", ex);
        }

        var source = new SpoolManifestSource(spool, plan);
        var children = ImageHandlers.Children(source);
        foreach (var root in index.Manifests)
        {
            var manifests = new List<Descriptor>();
            ImageHandler require = async (node, token) =>
            {
                await source.RequireAsync(node.Descriptor, node.Parent is null ? ImageLayout.IndexFileName : node.Parent.Descriptor.Digest.ToString(), token).ConfigureAwait(false);
                if (MediaTypes.IsManifest(node.Descriptor.MediaType)) manifests.Add(node.Descriptor);
                return HandlerResult.None;
            };
            await ImageHandlers.WalkAsync(ImageHandlers.Chain(require, children), [StripNames(root)], cancellationToken).ConfigureAwait(false);
            var name = NameOf(root);
            plan.Images.Add(new ImportedRoot(name is null ? [] : [name], StripNames(root), manifests));
        }
        return plan;
    }

    private static string? NameOf(Descriptor root) =>
        root.Annotations?.GetValueOrDefault(ContainerdImageNameAnnotation) is { Length: > 0 } full ? full
        : root.Annotations?.GetValueOrDefault(AnnotationKeys.RefName) is { Length: > 0 } refName ? refName
        : null;

    private static Descriptor StripNames(Descriptor root)
    {
        var annotations = root.Annotations?
            .Where(a => a.Key is not (AnnotationKeys.RefName or ContainerdImageNameAnnotation))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        return new Descriptor
        {
            MediaType = root.MediaType,
            Digest = root.Digest,
            Size = root.Size,
            Urls = root.Urls,
            Platform = root.Platform,
            ArtifactType = root.ArtifactType,
            Annotations = annotations is { Count: > 0 } ? annotations : null,
        };
    }
}
