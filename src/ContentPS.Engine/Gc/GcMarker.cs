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
/// </summary>
internal sealed class GcMarker
{
    private readonly LocalContentStore _store;
    private readonly IReadOnlyDictionary<Digest, long> _present;
    private readonly Dictionary<Digest, IReadOnlyDictionary<string, string>> _labels;
    private readonly HashSet<Digest> _marked = [];
    private readonly Queue<(Digest Digest, string? MediaType)> _pending = new();
    private readonly List<string> _warnings = [];

    public GcMarker(LocalContentStore store, IReadOnlyDictionary<Digest, long> present, Dictionary<Digest, IReadOnlyDictionary<string, string>> labels)
    {
        _store = store;
        _present = present;
        _labels = labels;
    }

    public IReadOnlySet<Digest> Marked => _marked;

    public IReadOnlyList<string> Warnings => _warnings;

    public void AddRoot(Digest digest, string? mediaType = null) => _pending.Enqueue((digest, mediaType));

    public async Task MarkAsync(CancellationToken cancellationToken)
    {
        while (_pending.TryDequeue(out var next))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!next.Digest.IsStorable || !_marked.Add(next.Digest)) continue;
            if (!_present.TryGetValue(next.Digest, out var size)) continue; // absent, or committed after the listing

            if (_labels.TryGetValue(next.Digest, out var labels))
            {
                foreach (var (key, value) in labels)
                {
                    if (key.StartsWith(GcLabels.ContentReferencePrefix, StringComparison.Ordinal) && Digest.TryParse(value, out var referenced))
                    {
                        _pending.Enqueue((referenced, null));
                    }
                }
            }
            foreach (var child in await ChildrenAsync(next.Digest, next.MediaType, size, cancellationToken).ConfigureAwait(false))
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
