using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>
/// Chooses what a copy of some platforms writes: for an index, each platform's best entry (as
/// <see cref="Platforms.Only"/> ranks them, first of equals) and the attestation manifests that name
/// those entries, as a new index with the other fields unchanged — or the one entry itself with
/// <c>asManifest</c>. All entries chosen: the index as it is. A root manifest is copied when its
/// config names one of the platforms. A platform nothing offers is NotFound (<c>PlatformNotFound</c>).
/// </summary>
internal static class RootSelection
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<SelectedRoot> SelectAsync(CachingManifestSource manifests, ICopySource blobs, Descriptor root,
        IReadOnlyList<Platform>? platforms, bool asManifest, string target, CancellationToken cancellationToken)
    {
        if (platforms is not { Count: > 0 })
        {
            return new SelectedRoot(root, false, []);
        }

        if (MediaTypes.IsIndex(root.MediaType))
        {
            var body = await manifests.ReadManifestAsync(root, cancellationToken).ConfigureAwait(false);
            return FromIndex(manifests, root, body, platforms, asManifest, target);
        }

        var own = await ManifestPlatformAsync(manifests, blobs, root, target, cancellationToken).ConfigureAwait(false);
        if (own is null || !platforms.Any(p => Platforms.Only(p).Match(own)))
        {
            var asked = string.Join(", ", platforms.Select(Platforms.Format));
            var message = $"{target} is a single manifest {(own is null ? "for no platform" : "for " + Platforms.Format(own))}, not for {asked}";
            throw new NotFoundException(message, ErrorIds.PlatformNotFound) { Target = target };
        }

        return new SelectedRoot(root, false, [Platforms.Format(own)]);
    }

    private static SelectedRoot FromIndex(CachingManifestSource manifests, Descriptor root, byte[] body, IReadOnlyList<Platform> platforms,
        bool asManifest, string target)
    {
        var entries = ManifestParser.ParseIndex(body, root.MediaType, target).Manifests;
        var runnable = entries.Where(e => e.Platform is not null && !AttestationManifests.Is(e)).ToList();
        var chosen = new List<Descriptor>();
        var missing = new List<Platform>();
        foreach (var platform in platforms)
        {
            if (Best(runnable, Platforms.Only(platform)) is { } best)
            {
                if (!chosen.Contains(best))
                {
                    chosen.Add(best);
                }
            }
            else
            {
                missing.Add(platform);
            }
        }

        if (missing.Count > 0)
        {
            var offered = runnable.Select(e => Platforms.Format(e.Platform!)).Distinct().Order(StringComparer.Ordinal);
            var message = $"{target}: no manifest for {string.Join(", ", missing.Select(Platforms.Format))}; the index has {string.Join(", ", offered)}";
            throw new NotFoundException(message, ErrorIds.PlatformNotFound) { Target = target };
        }

        var names = chosen.Select(c => Platforms.Format(c.Platform!)).ToList();
        if (asManifest)
        {
            if (chosen.Count != 1)
            {
                throw new InvalidArgumentException($"only one platform can be copied as a plain manifest, not {chosen.Count}", ErrorIds.InvalidArgument)
                { Target = target };
            }

            return new SelectedRoot(new Descriptor { MediaType = chosen[0].MediaType, Digest = chosen[0].Digest, Size = chosen[0].Size }, false, names);
        }

        var keep = new List<int>();
        for (int i = 0; i < entries.Count; i++)
        {
            if (chosen.Contains(entries[i]) || (AttestationManifests.Is(entries[i]) && NamesOneOf(entries[i], chosen)))
            {
                keep.Add(i);
            }
        }

        if (keep.Count == entries.Count)
        {
            return new SelectedRoot(root, false, names);
        }

        var rewritten = Rewrite(body, keep, target);
        var descriptor = Descriptor.FromContent(root.MediaType, rewritten, root.Digest.Algorithm);
        manifests.Add(descriptor.Digest, rewritten);
        return new SelectedRoot(descriptor, true, names);
    }

    // The same document with only the kept entries of "manifests", each as it was written.
    private static byte[] Rewrite(byte[] body, IReadOnlyList<int> keep, string target)
    {
        var document = JsonNode.Parse(body) as JsonObject
            ?? throw new InvalidArgumentException($"{target}: the index is not a JSON object", ErrorIds.InvalidManifest) { Target = target };
        var entries = document["manifests"]!.AsArray();
        document["manifests"] = new JsonArray(keep.Select(i => entries[i]!.DeepClone()).ToArray());
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            document.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    private static bool NamesOneOf(Descriptor attestation, IReadOnlyList<Descriptor> chosen) =>
        attestation.Annotations?.TryGetValue(AttestationManifests.ReferenceDigestAnnotation, out var digest) == true
        && chosen.Any(c => c.Digest.ToString() == digest);

    private static Descriptor? Best(IReadOnlyList<Descriptor> candidates, IPlatformMatchComparer matcher)
    {
        Descriptor? best = null;
        foreach (var candidate in candidates)
        {
            if (matcher.Match(candidate.Platform!) && (best is null || matcher.Less(candidate.Platform!, best.Platform!)))
            {
                best = candidate;
            }
        }

        return best;
    }

    private static async Task<Platform?> ManifestPlatformAsync(CachingManifestSource manifests, ICopySource blobs, Descriptor root, string target,
        CancellationToken cancellationToken)
    {
        var manifest = ManifestParser.ParseManifest(await manifests.ReadManifestAsync(root, cancellationToken).ConfigureAwait(false), root.MediaType, target);
        if (!MediaTypes.IsConfig(manifest.Config.MediaType))
        {
            return null;
        }

        ManifestParser.EnsureSizeAllowed(manifest.Config.Size, manifest.Config.Digest.ToString());
        await using var stream = new VerifyingStream(await blobs.OpenBlobAsync(manifest.Config, cancellationToken).ConfigureAwait(false), manifest.Config);
        using var body = new MemoryStream();
        await stream.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        try
        {
            var config = JsonSerializer.Deserialize(body.ToArray(), OciJsonContext.Default.ImageConfig);
            return config is { OS.Length: > 0, Architecture.Length: > 0 }
                ? new Platform { OS = config.OS, Architecture = config.Architecture, Variant = config.Variant }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
