using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Handlers;

public static partial class ImageHandlers
{
    /// <summary>
    /// A handler to put first in a chain: a non-distributable layer (OCI <c>nondistributable</c>, Docker
    /// <c>foreign</c>) is skipped — not fetched, not labelled — unless <paramref name="include"/>; anything else goes on.
    /// </summary>
    public static ImageHandler SkipNonDistributable(bool include = false) => (node, _) =>
        ValueTask.FromResult(!include && MediaTypes.IsNonDistributable(node.Descriptor.MediaType) ? HandlerResult.Skip : HandlerResult.None);
}
