using System.Globalization;
using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Handlers;

public static partial class ImageHandlers
{
    /// <summary>
    /// containerd's <c>SetChildrenMappedLabels</c>: runs <paramref name="handler"/>, then labels the
    /// handled (committed) blob in <paramref name="store"/> with one garbage-collection reference per
    /// child, so the children live as long as the parent. Keys come from <paramref name="labelKeys"/>
    /// (default <see cref="ChildGcLabels"/>); a key ending in '.' is numbered per key from 0
    /// (<c>…m.0</c>, <c>…m.1</c>, <c>…l.0</c>), a key seen again gets its count appended
    /// (<c>…config1</c>). Values are the children's digests. Only those keys are written; other
    /// labels are kept. No children: nothing written. The parent must be committed (NotFound otherwise).
    /// </summary>
    public static ImageHandler SetChildrenLabels(IContentManager store, ImageHandler handler, Func<Descriptor, IReadOnlyList<string>>? labelKeys = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(handler);
        labelKeys ??= ChildGcLabels;
        return async (node, cancellationToken) =>
        {
            var result = await handler(node, cancellationToken).ConfigureAwait(false);
            var labels = ChildrenLabels(ChildrenOf(result), labelKeys);
            if (labels.Count > 0)
            {
                var update = new ContentInfo
                {
                    Digest = node.Descriptor.Digest,
                    Size = node.Descriptor.Size,
                    CreatedAt = default,
                    UpdatedAt = default,
                    Labels = labels,
                };
                await store.UpdateAsync(update, labels.Keys.Select(key => "labels." + key).ToList(), cancellationToken).ConfigureAwait(false);
            }
            return result;
        };
    }

    /// <summary>The labels <see cref="SetChildrenLabels"/> writes for these children (key → child digest).</summary>
    public static Dictionary<string, string> ChildrenLabels(IReadOnlyList<Descriptor> children, Func<Descriptor, IReadOnlyList<string>>? labelKeys = null)
    {
        ArgumentNullException.ThrowIfNull(children);
        labelKeys ??= ChildGcLabels;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var child in children)
        {
            foreach (var key in labelKeys(child))
            {
                counts.TryGetValue(key, out var seen);
                counts[key] = seen + 1;
                var numbered = seen > 0 || key.EndsWith('.') ? key + seen.ToString(CultureInfo.InvariantCulture) : key;
                labels[numbered] = child.Digest.ToString();
            }
        }
        return labels;
    }

    /// <summary>
    /// containerd's <c>ChildGCLabels</c>: the key a parent uses to reference <paramref name="child"/>:
    /// <c>…config</c> for an image config, <c>…m.</c> for a manifest, <c>…l.</c> for a layer, else <c>…</c>
    /// followed by '.' (a nested index, an artifact's config or blob).
    /// </summary>
    public static IReadOnlyList<string> ChildGcLabels(Descriptor child)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (MediaTypes.IsConfig(child.MediaType))
        {
            return [ContentLabels.GcRefConfig];
        }
        if (MediaTypes.IsManifest(child.MediaType))
        {
            return [ContentLabels.GcRefManifestPrefix];
        }
        if (MediaTypes.IsLayer(child.MediaType))
        {
            return [ContentLabels.GcRefLayerPrefix];
        }
        return [ContentLabels.GcRefOtherPrefix];
    }

    /// <summary>containerd's <c>ChildGCLabelsFilterLayers</c>: as <see cref="ChildGcLabels"/>, but layers get no label.</summary>
    public static IReadOnlyList<string> ChildGcLabelsWithoutLayers(Descriptor child)
    {
        ArgumentNullException.ThrowIfNull(child);
        return MediaTypes.IsLayer(child.MediaType) ? [] : ChildGcLabels(child);
    }
}
