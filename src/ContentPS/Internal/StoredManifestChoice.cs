using System.Text.Json;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Internal;

/// <summary>
/// The image manifest of a stored image that runs one platform, read from the store only: in an index
/// the entry <see cref="Platforms.Only"/> prefers (following nested indexes, as
/// <see cref="IndexPlatformChoice"/> orders them); a plain manifest when its config's platform matches.
/// An index without such an entry, or a manifest for another platform, is NotFound
/// (<c>PlatformNotFound</c>); a document the store lacks is NotFound (<c>ManifestNotFound</c>); a manifest
/// whose config is not an image config (an artifact) is InvalidArgument (<c>InvalidMediaType</c>).
/// </summary>
internal static class StoredManifestChoice
{
    private const int MaxIndexDepth = 8;

    /// <param name="target">What the user named (record name or reference): the target and subject of errors.</param>
    public static async Task<ChosenManifest> ChooseAsync(IContentStore store, Descriptor root, Platform platform, string target,
        CancellationToken cancellationToken)
    {
        var source = new ContentStoreManifestSource(store);
        IPlatformMatchComparer matcher = Platforms.Only(platform);
        bool fromIndex = MediaTypes.IsIndex(root.MediaType);
        Descriptor manifest = fromIndex
            ? await FromIndexAsync(source, root, matcher, platform, target, 0, cancellationToken).ConfigureAwait(false)
                ?? throw await NoMatchAsync(source, root, platform, target, cancellationToken).ConfigureAwait(false)
            : root;

        Manifest parsed = ManifestParser.ParseManifest(await ReadAsync(source, manifest, platform, target, cancellationToken).ConfigureAwait(false),
            manifest.MediaType, target);
        if (!MediaTypes.IsConfig(parsed.Config.MediaType))
        {
            string artifact = $"{target}: manifest {manifest.Digest} is an artifact (config {parsed.Config.MediaType}), not a container image: there is no file system to expand";
            throw new InvalidArgumentException(artifact, ErrorIds.InvalidMediaType) { Target = target };
        }

        Platform? own = await ConfigPlatformAsync(source, parsed.Config, platform, target, cancellationToken).ConfigureAwait(false);
        if (!fromIndex && own is not null && !matcher.Match(own))
        {
            string other = $"{target} is a single manifest for {Platforms.Format(own)}, not for {Platforms.Format(platform)}; give -Platform {Platforms.Format(own)} to expand it anyway";
            throw new NotFoundException(other, ErrorIds.PlatformNotFound) { Target = target };
        }

        return new ChosenManifest(manifest, own ?? manifest.Platform, parsed.Layers.Count);
    }

    private static async Task<Descriptor?> FromIndexAsync(ContentStoreManifestSource source, Descriptor index, IPlatformMatchComparer matcher,
        Platform platform, string target, int depth, CancellationToken cancellationToken)
    {
        ImageIndex parsed = ManifestParser.ParseIndex(await ReadAsync(source, index, platform, target, cancellationToken).ConfigureAwait(false),
            index.MediaType, target);
        foreach (Descriptor candidate in IndexPlatformChoice.Candidates(parsed, matcher))
        {
            if (!MediaTypes.IsIndex(candidate.MediaType))
            {
                return candidate;
            }

            if (depth + 1 < MaxIndexDepth
                && await FromIndexAsync(source, candidate, matcher, platform, target, depth + 1, cancellationToken).ConfigureAwait(false) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    private static async Task<byte[]> ReadAsync(ContentStoreManifestSource source, Descriptor descriptor, Platform platform, string target,
        CancellationToken cancellationToken)
    {
        try
        {
            return await source.ReadManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException ex) when (ex.ErrorId == ErrorIds.BlobNotFound)
        {
            string missing = $"{target}: the store does not hold {descriptor.MediaType} {descriptor.Digest} (needed for {Platforms.Format(platform)}); "
                + "pull it with Save-ImageContent -Platform, or expand with -Reference, which pulls what is missing";
            throw new NotFoundException(missing, ErrorIds.ManifestNotFound, ex) { Target = target };
        }
    }

    private static async Task<Platform?> ConfigPlatformAsync(ContentStoreManifestSource source, Descriptor config, Platform platform, string target,
        CancellationToken cancellationToken)
    {
        byte[] body = await ReadAsync(source, config, platform, target, cancellationToken).ConfigureAwait(false);
        ImageConfig? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, OciJsonContext.Default.ImageConfig);
        }
        catch (JsonException ex)
        {
            throw new InvalidArgumentException($"{target}: the image config {config.Digest} is not valid JSON: {ex.Message}", ErrorIds.InvalidManifest, ex)
            { Target = target };
        }

        return parsed is { OS.Length: > 0, Architecture.Length: > 0 } ? parsed.ToPlatform() : null;
    }

    private static async Task<NotFoundException> NoMatchAsync(ContentStoreManifestSource source, Descriptor root, Platform platform, string target,
        CancellationToken cancellationToken)
    {
        ImageIndex index = ManifestParser.ParseIndex(await source.ReadManifestAsync(root, cancellationToken).ConfigureAwait(false), root.MediaType, target);
        IReadOnlyList<string> offered = IndexPlatformChoice.Platforms(index);
        string has = offered.Count == 0 ? "it lists no platforms" : $"it has {string.Join(", ", offered)}";
        return new NotFoundException($"{target}: no manifest for platform {Platforms.Format(platform)} in the index ({has})", ErrorIds.PlatformNotFound)
        { Target = target };
    }
}

/// <summary>The manifest chosen, the platform it runs (its config's, else its index entry's), and how many layers it has.</summary>
internal sealed record ChosenManifest(Descriptor Manifest, Platform? Platform, int Layers);
