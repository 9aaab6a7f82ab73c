using System.Collections.Concurrent;
using System.Text.Json;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Client;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>
/// Copies the manifests that refer to a copied graph (signatures, SBOMs, attestations as OCI 1.1
/// artifacts), and those that refer to them, level by level, each subject's referrers in parallel.
/// Their <c>subject</c> names a digest the copy kept, so they are copied byte for byte. A destination
/// without the referrers API does not list what was pushed: its tag-schema index
/// (<c>&lt;alg&gt;-&lt;hex&gt;</c>) is then written with what it listed plus the new referrers.
/// </summary>
internal static class ReferrersCopy
{
    /// <param name="copyGraph">Copies one referrer's graph (plan and push, no tag) and returns its manifest digests.</param>
    public static async Task<IReadOnlyList<Descriptor>> CopyAsync(ICopySource source, RegistryClient destinationClient, ImageReference destination,
        IEnumerable<Digest> subjects, Func<Descriptor, CancellationToken, Task<IReadOnlyList<Digest>>> copyGraph, CancellationToken cancellationToken)
    {
        var copied = new ConcurrentDictionary<Digest, Descriptor>();
        var visited = new HashSet<Digest>(subjects);
        var level = visited.ToList();
        while (level.Count > 0)
        {
            var found = await Task.WhenAll(level.Select(async subject =>
            {
                var referrers = await source.ListReferrersAsync(subject, cancellationToken).ConfigureAwait(false);
                var graphs = await Task.WhenAll(referrers.Select(async referrer =>
                {
                    var manifests = await copyGraph(referrer, cancellationToken).ConfigureAwait(false);
                    copied.TryAdd(referrer.Digest, referrer);
                    return manifests;
                })).ConfigureAwait(false);
                await EnsureListedAsync(destinationClient, destination, subject, referrers, cancellationToken).ConfigureAwait(false);
                return graphs.SelectMany(g => g);
            })).ConfigureAwait(false);
            level = found.SelectMany(f => f).Where(visited.Add).ToList();
        }

        return copied.Values.OrderBy(d => d.Digest.ToString(), StringComparer.Ordinal).ToList();
    }

    private static async Task EnsureListedAsync(RegistryClient client, ImageReference destination, Digest subject, IReadOnlyList<Descriptor> referrers,
        CancellationToken cancellationToken)
    {
        if (referrers.Count == 0)
        {
            return;
        }

        var listed = new List<Descriptor>();
        await foreach (var referrer in client.ListReferrersAsync(destination, subject, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            listed.Add(referrer);
        }

        var missing = referrers.Where(r => !listed.Any(l => l.Digest.Equals(r.Digest))).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var index = new ImageIndex { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = [.. listed, .. missing.Select(Entry)] };
        var body = JsonSerializer.SerializeToUtf8Bytes(index, OciJsonContext.Relaxed.ImageIndex);
        await client.PushManifestAsync(destination, Descriptor.FromContent(MediaTypes.OciIndex, body), body, ReferrersTag.For(subject), cancellationToken)
            .ConfigureAwait(false);
    }

    // What a referrers index lists of a manifest: media type, digest, size, artifact type, annotations.
    private static Descriptor Entry(Descriptor referrer) => new()
    {
        MediaType = referrer.MediaType,
        Digest = referrer.Digest,
        Size = referrer.Size,
        ArtifactType = referrer.ArtifactType,
        Annotations = referrer.Annotations,
    };
}
