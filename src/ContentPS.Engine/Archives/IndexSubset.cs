using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;

namespace ContentPS.Engine.Archives;

/// <summary>
/// Cuts an index down to some platforms, the way a pull chooses them: for each platform the entry it runs
/// best (<c>LimitManifests(FilterPlatforms(Children, Only(p)), Only(p), 1)</c>; a platform no entry
/// matches is NotFound <c>PlatformNotFound</c>), plus, when asked, the attestation manifests that refer to a
/// chosen entry. Entries keep their index order and their JSON as it was (unknown fields included).
/// </summary>
internal static class IndexSubset
{
    private static readonly JsonWriterOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>All entries of <paramref name="index"/>, and the positions of those to keep.</summary>
    public static async Task<(IReadOnlyList<Descriptor> All, IReadOnlyList<int> Kept)> SelectAsync(
        IManifestSource source, Descriptor index, IReadOnlyList<Platform> platforms, bool includeAttestations, CancellationToken cancellationToken)
    {
        var chosen = new HashSet<Digest>();
        var children = ImageHandlers.Children(source);
        foreach (var platform in platforms)
        {
            var matcher = Oci.Platforms.Only(platform);
            var best = ImageHandlers.LimitManifests(ImageHandlers.FilterPlatforms(Runnable(children), matcher), matcher, 1);
            var result = await best(new ImageNode(index), cancellationToken).ConfigureAwait(false);
            foreach (var child in result.Children ?? []) chosen.Add(child.Digest);
        }

        var all = ImageHandlersResult(await children(new ImageNode(index), cancellationToken).ConfigureAwait(false));
        var kept = Enumerable.Range(0, all.Count)
            .Where(i => chosen.Contains(all[i].Digest) || (includeAttestations && RefersToChosen(all[i], chosen)))
            .ToList();
        return (all, kept);
    }

    /// <summary>The bytes of <paramref name="body"/> with only the entries at <paramref name="keep"/> (positions in its manifests array).</summary>
    public static byte[] Rewrite(byte[] body, IReadOnlyCollection<int> keep)
    {
        var root = (JsonObject)JsonNode.Parse(body)!;
        var manifests = (JsonArray)root["manifests"]!;
        var kept = new JsonArray();
        for (var i = 0; i < manifests.Count; i++)
        {
            if (keep.Contains(i)) kept.Add(manifests[i]!.DeepClone());
        }
        root["manifests"] = kept;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriteOptions))
        {
            root.WriteTo(writer);
        }
        return buffer.ToArray();
    }

    // Attestations and platform-less entries never win a platform.
    private static ImageHandler Runnable(ImageHandler children) => async (node, cancellationToken) =>
    {
        var result = await children(node, cancellationToken).ConfigureAwait(false);
        return result with { Children = ImageHandlersResult(result).Where(c => c.Platform is not null && !AttestationManifests.Is(c)).ToList() };
    };

    private static IReadOnlyList<Descriptor> ImageHandlersResult(HandlerResult result) => result.Children ?? [];

    private static bool RefersToChosen(Descriptor entry, HashSet<Digest> chosen) =>
        AttestationManifests.Is(entry)
        && entry.Annotations?.TryGetValue(AttestationManifests.ReferenceDigestAnnotation, out var referred) == true
        && Digest.TryParse(referred, out var digest)
        && chosen.Contains(digest);
}
