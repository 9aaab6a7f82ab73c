using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Unpack;

/// <summary>The classified errors of unpacking; entry errors name the layer digest and the entry, and target the entry.</summary>
internal static class UnpackErrors
{
    public static InvalidArgumentException Unsafe(Digest layer, string entry, string reason) =>
        new($"layer {layer}: refusing entry \"{entry}\": {reason}", ErrorIds.UnpackUnsafeEntry) { Target = entry };

    public static InvalidArgumentException InvalidEntry(Digest layer, string entry, string reason, Exception? inner = null) =>
        new($"layer {layer}: cannot apply entry \"{entry}\": {reason}", ErrorIds.UnpackInvalidEntry, inner) { Target = entry };

    public static DataLossException Corrupt(Digest layer, string reason, Exception? inner = null) =>
        new($"layer {layer} is corrupt: {reason}", ErrorIds.LayerCorrupt, inner) { Target = layer.ToString() };

    public static DataLossException DiffIdMismatch(Digest layer, Digest expected, string actual) =>
        new($"layer {layer} uncompresses to {actual}, but the image config's rootfs.diff_ids says {expected}; the layer was rolled back",
            ErrorIds.LayerDiffIdMismatch) { Target = layer.ToString() };

    public static InvalidArgumentException InvalidConfig(Digest config, string reason, Exception? inner = null) =>
        new($"image config {config}: {reason}", ErrorIds.InvalidImageConfig, inner) { Target = config.ToString() };

    public static NotFoundException Missing(Digest digest, string what, Exception inner) =>
        new($"{what} {digest} is not in the store; pull the image first", ErrorIds.BlobNotFound, inner) { Target = digest.ToString() };
}
