using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Handlers;

public static partial class ImageHandlers
{
    /// <summary>
    /// containerd's <c>images.ChildrenHandler</c>: an index (OCI or Docker list) answers its manifests,
    /// a manifest (OCI or Docker schema 2) its config then its layers — never its subject; any other
    /// media type (config, layer, unknown artifact blob) has no children and is not read. The body is
    /// read from <paramref name="source"/> and parsed by <see cref="ManifestParser"/> against the
    /// descriptor's declared media type, so a body of another type is <c>MediaTypeMismatch</c> and a
    /// malformed one <c>InvalidManifest</c>; a schema 1 descriptor is read and refused
    /// (<c>UnsupportedSchema1</c>) rather than stored as a childless blob.
    /// </summary>
    public static ImageHandler Children(IManifestSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return async (node, cancellationToken) =>
        {
            var descriptor = node.Descriptor;
            var isIndex = MediaTypes.IsIndex(descriptor.MediaType);
            if (!isIndex && !MediaTypes.IsManifest(descriptor.MediaType) && !MediaTypes.IsSchema1(descriptor.MediaType))
            {
                return HandlerResult.None;
            }

            var body = await source.ReadManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
            var target = descriptor.Digest.ToString();
            if (isIndex)
            {
                return HandlerResult.Of(ManifestParser.ParseIndex(body, descriptor.MediaType, target).Manifests);
            }
            var manifest = ManifestParser.ParseManifest(body, descriptor.MediaType, target);
            return HandlerResult.Of([manifest.Config, .. manifest.Layers]);
        };
    }
}
