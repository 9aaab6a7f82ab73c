using ContentPS.Engine.Content;
using ContentPS.Engine.Content.Leases;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Gc;

/// <summary>
/// The mark phase: everything reachable from the roots. An edge is either a <c>containerd.io/gc.ref.content*</c>
/// label of a marked blob, or a child in the body of a marked index or manifest (config, layers, manifests).
/// Bodies are followed as well as labels because stores are also filled by tools that write no labels
/// (skopeo, umoci, oras, an older ContentPS): their images must not lose their layers. A blob reached without
/// a media type (a lease, a label, an ingest) is parsed when it looks like a manifest or index.
/// Edges are followed from every marked blob that exists now, listed or not: a manifest committed after the
/// listing (not a sweep candidate itself) may name children that were listed, and only its body says so.
/// Labels are read when a blob is marked, so they are never older than the roots.
/// </summary>
internal sealed class GcMarker
{
    private readonly LocalContentStore _store;
    private readonly HashSet<Digest> _marked = [];
    private readonly Queue<(Digest Digest, string? MediaType)> _pending = new();
    private readonly List<string> _warnings = [];

    public GcMarker(LocalContentStore store) => _store = store;

    public IReadOnlySet<Digest> Marked => _marked;

    public IReadOnlyList<string> Warnings => _warnings;

    public void AddRoot(Digest digest, string? mediaType = null) => _pending.Enqueue((digest, mediaType));

    public async Task MarkAsync(CancellationToken cancellationToken)
    {
        while (_pending.TryDequeue(out var next))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!next.Digest.IsStorable || !_marked.Add(next.Digest)) continue;
            ContentInfo info;
            try
            {
                info = await _store.InfoAsync(next.Digest, cancellationToken).ConfigureAwait(false);
            }
            catch (NotFoundException)
            {
                continue; // not in the store: nothing to follow
            }

            foreach (var (key, value) in info.Labels)
            {
                if (key.StartsWith(GcLabels.ContentReferencePrefix, StringComparison.Ordinal) && Digest.TryParse(value, out var referenced))
                {
                    _pending.Enqueue((referenced, null));
                }
            }
            foreach (var child in await ChildrenAsync(next.Digest, next.MediaType, info.Size, cancellationToken).ConfigureAwait(false))
            {
                _pending.Enqueue((child.Digest, child.MediaType));
            }
        }
    }

    private async Task<IReadOnlyList<Descriptor>> ChildrenAsync(Digest digest, string? mediaType, long size, CancellationToken cancellationToken)
    {
        var declared = MediaTypes.IsIndex(mediaType) || MediaTypes.IsManifest(mediaType);
        var unknown = mediaType is null || ManifestParser.IsGenericMediaType(mediaType)
            || !(MediaTypes.IsLayer(mediaType) || MediaTypes.IsConfig(mediaType) || MediaTypes.IsKnown(mediaType));
        if (!declared && !unknown) return [];
        if (size > ManifestParser.MaxManifestSize)
        {
            if (declared) _warnings.Add($"{digest}: a {mediaType} of {size} bytes is larger than a manifest can be; its children were not followed");
            return [];
        }

        byte[] body;
        try
        {
            body = await File.ReadAllBytesAsync(_store.Layout.BlobPath(digest), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        if (!declared && ManifestParser.DetectMediaType(body) is null) return [];
        try
        {
            return ManifestParser.Parse(body, declared ? mediaType : null, digest.ToString()).Children;
        }
        catch (ClassifiedException ex)
        {
            if (declared) _warnings.Add($"{digest}: {ex.Message}; its children were not followed");
            return [];
        }
    }
}
