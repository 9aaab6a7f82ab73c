using System.Text.Json;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Check;

/// <summary>
/// containerd's <c>images.Check</c> on the local store: which blobs an image needs for a platform, and which of
/// those are present, missing or corrupt. From the root: an index leads to its manifests whose platform matches
/// (an entry without a platform matches; a nested index is descended), best match first by the comparer's order,
/// and only the first that leads to a manifest is taken, as containerd does (a manifest without a platform counts
/// only when its config's os/architecture match). A manifest leads to its config and layers. Unlike containerd,
/// the indexes and the manifest themselves are listed too, so a missing manifest shows as missing rather than
/// as the whole image. A null platform takes every manifest. Indexes and manifests are always verified (they are
/// read anyway); <c>verify</c> re-hashes configs and layers too. Reads only the local store.
/// </summary>
public static class ImageCheck
{
    private const int HashBufferSize = 1 << 20;

    /// <summary>Checks the image <paramref name="record"/> names.</summary>
    public static Task<ImageCheckResult> CheckAsync(IContentStore store, ImageRecord record, IPlatformMatchComparer? platform, bool verify, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return CheckAsync(store, record.Target, platform, verify, cancellationToken);
    }

    /// <summary>Checks the image whose root is <paramref name="root"/> (an index, a manifest, or any blob).</summary>
    public static async Task<ImageCheckResult> CheckAsync(IContentStore store, Descriptor root, IPlatformMatchComparer? platform, bool verify, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(root);
        var walk = new CheckWalk(store, platform, verify);
        var outcome = await walk.VisitAsync(root, isRoot: true, cancellationToken).ConfigureAwait(false);
        return new ImageCheckResult
        {
            Root = root,
            Manifests = walk.Manifests,
            Required = walk.Required,
            Present = walk.Present,
            Missing = walk.Missing,
            Corrupt = walk.Corrupt,
            PlatformMatched = outcome != Outcome.NoMatch,
            Available = outcome == Outcome.Found && walk.Manifests.Count > 0,
        };
    }

    private enum Outcome
    {
        /// <summary>A manifest was reached and read.</summary>
        Found,

        /// <summary>An index or manifest on the way is missing or corrupt: the rest is unknown.</summary>
        Blocked,

        /// <summary>Nothing matches the platform.</summary>
        NoMatch,
    }

    private sealed class CheckWalk(IContentStore store, IPlatformMatchComparer? platform, bool verify)
    {
        public List<Descriptor> Manifests { get; } = [];
        public List<Descriptor> Required { get; } = [];
        public List<Descriptor> Present { get; } = [];
        public List<Descriptor> Missing { get; } = [];
        public List<CorruptContent> Corrupt { get; } = [];

        public async Task<Outcome> VisitAsync(Descriptor descriptor, bool isRoot, CancellationToken cancellationToken)
        {
            var isIndex = MediaTypes.IsIndex(descriptor.MediaType);
            if (!isIndex && !MediaTypes.IsManifest(descriptor.MediaType))
            {
                if (!isRoot) return Outcome.NoMatch;
                // A root of another type (an artifact blob): required alone.
                await LeafAsync(descriptor, cancellationToken).ConfigureAwait(false);
                return Outcome.Found;
            }

            var mark = Snapshot();
            var body = await ReadDocumentAsync(descriptor, cancellationToken).ConfigureAwait(false);
            if (body is null) return Outcome.Blocked;
            ParsedManifest parsed;
            try
            {
                parsed = ManifestParser.Parse(body, descriptor.MediaType, descriptor.Digest.ToString());
            }
            catch (ClassifiedException ex)
            {
                MoveToCorrupt(descriptor, $"is not a valid {descriptor.MediaType}: {ex.Message}", ex);
                return Outcome.Blocked;
            }

            if (parsed.IsIndex)
            {
                var outcome = await IndexAsync(parsed.Index!, cancellationToken).ConfigureAwait(false);
                if (outcome == Outcome.NoMatch && !isRoot) Restore(mark);
                return outcome;
            }

            var manifest = parsed.Manifest!;
            if (!isRoot && platform is not null && descriptor.Platform is null
                && await ConfigPlatformAsync(manifest.Config, cancellationToken).ConfigureAwait(false) is { } configured
                && !platform.Match(configured))
            {
                Restore(mark);
                return Outcome.NoMatch;
            }
            Manifests.Add(descriptor);
            await LeafAsync(manifest.Config, cancellationToken).ConfigureAwait(false);
            foreach (var layer in manifest.Layers) await LeafAsync(layer, cancellationToken).ConfigureAwait(false);
            return Outcome.Found;
        }

        private async Task<Outcome> IndexAsync(ImageIndex index, CancellationToken cancellationToken)
        {
            var candidates = index.Manifests.Where(m => platform is null || m.Platform is null || platform.Match(m.Platform)).ToList();
            if (platform is not null)
            {
                // Stable: a descriptor without a platform goes after every one with a platform.
                var ordered = candidates.Select((d, i) => (D: d, I: i)).ToList();
                ordered.Sort((a, b) =>
                    a.D.Platform is null && b.D.Platform is null ? a.I.CompareTo(b.I)
                    : a.D.Platform is null ? 1
                    : b.D.Platform is null ? -1
                    : platform.Less(a.D.Platform, b.D.Platform) ? -1
                    : platform.Less(b.D.Platform, a.D.Platform) ? 1
                    : a.I.CompareTo(b.I));
                candidates = ordered.ConvertAll(p => p.D);
            }

            var result = Outcome.NoMatch;
            foreach (var candidate in candidates)
            {
                var outcome = await VisitAsync(candidate, isRoot: false, cancellationToken).ConfigureAwait(false);
                if (outcome == Outcome.NoMatch) continue;
                if (platform is not null) return outcome;
                result = outcome == Outcome.Blocked || result == Outcome.Blocked ? Outcome.Blocked : Outcome.Found;
            }
            return result;
        }

        /// <summary>The config's os/architecture when it is present and readable; null otherwise (the manifest counts).</summary>
        private async Task<Platform?> ConfigPlatformAsync(Descriptor config, CancellationToken cancellationToken)
        {
            if (config.Size > ManifestParser.MaxManifestSize) return null;
            try
            {
                await using var reader = await store.OpenReaderAsync(config.Digest, cancellationToken).ConfigureAwait(false);
                var bytes = await ManifestParser.ReadBodyAsync(reader.AsStream(), reader.Size, config.Digest.ToString(), cancellationToken).ConfigureAwait(false);
                var image = JsonSerializer.Deserialize(bytes, OciJsonContext.Default.ImageConfig);
                if (image is null || image.OS.Length == 0) return null;
                return Platforms.Normalize(new Platform { OS = image.OS, Architecture = image.Architecture });
            }
            catch (Exception ex) when (ex is JsonException || Errors.IsNotFound(ex) || ex is ClassifiedException)
            {
                return null;
            }
        }

        /// <summary>Reads, sizes and verifies an index or manifest; null when it is missing or corrupt (recorded).</summary>
        private async Task<byte[]?> ReadDocumentAsync(Descriptor descriptor, CancellationToken cancellationToken)
        {
            Required.Add(descriptor);
            if (descriptor.Size > ManifestParser.MaxManifestSize)
            {
                Corrupt.Add(new CorruptContent(descriptor, Loss(descriptor, $"is {descriptor.Size} bytes, larger than a manifest can be")));
                return null;
            }
            IContentReader reader;
            try
            {
                reader = await store.OpenReaderAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Errors.IsNotFound(ex))
            {
                Missing.Add(descriptor);
                return null;
            }
            await using (reader.ConfigureAwait(false))
            {
                if (reader.Size != descriptor.Size)
                {
                    Corrupt.Add(new CorruptContent(descriptor, SizeLoss(descriptor, reader.Size)));
                    return null;
                }
                var body = await ManifestParser.ReadBodyAsync(reader.AsStream(), reader.Size, descriptor.Digest.ToString(), cancellationToken).ConfigureAwait(false);
                var actual = Digest.FromBytes(body, descriptor.Digest.Algorithm);
                if (actual != descriptor.Digest)
                {
                    Corrupt.Add(new CorruptContent(descriptor, DigestLoss(descriptor, actual)));
                    return null;
                }
                Present.Add(descriptor);
                return body;
            }
        }

        private async Task LeafAsync(Descriptor descriptor, CancellationToken cancellationToken)
        {
            Required.Add(descriptor);
            ContentInfo info;
            try
            {
                info = await store.InfoAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Errors.IsNotFound(ex))
            {
                Missing.Add(descriptor);
                return;
            }
            if (info.Size != descriptor.Size)
            {
                Corrupt.Add(new CorruptContent(descriptor, SizeLoss(descriptor, info.Size)));
                return;
            }
            if (verify)
            {
                var actual = await HashAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false);
                if (actual is null)
                {
                    Missing.Add(descriptor); // removed since Info
                    return;
                }
                if (actual != descriptor.Digest)
                {
                    Corrupt.Add(new CorruptContent(descriptor, DigestLoss(descriptor, actual)));
                    return;
                }
            }
            Present.Add(descriptor);
        }

        private async Task<Digest?> HashAsync(Digest digest, CancellationToken cancellationToken)
        {
            IContentReader reader;
            try
            {
                reader = await store.OpenReaderAsync(digest, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Errors.IsNotFound(ex))
            {
                return null;
            }
            await using (reader.ConfigureAwait(false))
            {
                using var digester = new Digester(digest.Algorithm);
                var buffer = new byte[(int)Math.Clamp(reader.Size, 1, HashBufferSize)];
                long offset = 0;
                int read;
                while ((read = await reader.ReadAtAsync(buffer, offset, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    digester.Append(buffer.AsSpan(0, read));
                    offset += read;
                }
                return digester.Finish();
            }
        }

        private (int Manifests, int Required, int Present, int Missing, int Corrupt) Snapshot() =>
            (Manifests.Count, Required.Count, Present.Count, Missing.Count, Corrupt.Count);

        private void Restore((int Manifests, int Required, int Present, int Missing, int Corrupt) mark)
        {
            Manifests.RemoveRange(mark.Manifests, Manifests.Count - mark.Manifests);
            Required.RemoveRange(mark.Required, Required.Count - mark.Required);
            Present.RemoveRange(mark.Present, Present.Count - mark.Present);
            Missing.RemoveRange(mark.Missing, Missing.Count - mark.Missing);
            Corrupt.RemoveRange(mark.Corrupt, Corrupt.Count - mark.Corrupt);
        }

        /// <summary>A document that read back fine but does not parse: it was listed present; it is corrupt instead.</summary>
        private void MoveToCorrupt(Descriptor descriptor, string reason, Exception inner)
        {
            Present.Remove(descriptor);
            Corrupt.Add(new CorruptContent(descriptor, Loss(descriptor, reason, inner)));
        }

        private static DataLossException SizeLoss(Descriptor descriptor, long actual) =>
            Loss(descriptor, $"is {actual} bytes in the store, the descriptor says {descriptor.Size}");

        private static DataLossException DigestLoss(Descriptor descriptor, Digest actual) =>
            Loss(descriptor, $"hashes to {actual} in the store, the descriptor says {descriptor.Digest}");

        private static DataLossException Loss(Descriptor descriptor, string reason, Exception? inner = null) =>
            new($"content {descriptor.Digest} ({descriptor.MediaType}) {reason}", ErrorIds.BlobCorrupt, inner) { Target = descriptor.Digest.ToString() };
    }
}
