using System.Text.Json;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Unpack;

/// <summary>
/// What an unpack will apply, read and checked before anything is written: the manifest, the config's platform,
/// and each layer with the diff ID the config gives it. Missing content is NotFound naming the digest; a config
/// that is not an image config or whose diff IDs do not pair with the layers is InvalidImageConfig; a layer that is
/// not a filesystem layer or is encrypted is UnsupportedMediaType.
/// </summary>
internal sealed record UnpackPlan(Platform Platform, IReadOnlyList<(Descriptor Layer, Digest DiffId)> Layers)
{
    public static async Task<UnpackPlan> ReadAsync(IContentStore store, Descriptor manifestDescriptor, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsManifest(manifestDescriptor.MediaType))
        {
            throw new InvalidArgumentException(
                $"{manifestDescriptor.Digest} is a {manifestDescriptor.MediaType}, not an image manifest; choose a platform's manifest first",
                ErrorIds.InvalidManifest) { Target = manifestDescriptor.Digest.ToString() };
        }

        var source = new ContentStoreManifestSource(store);
        var body = await ReadAsync(source, manifestDescriptor, "manifest", cancellationToken).ConfigureAwait(false);
        var manifest = ManifestParser.ParseManifest(body, manifestDescriptor.MediaType, manifestDescriptor.Digest.ToString());
        if (!MediaTypes.IsConfig(manifest.Config.MediaType))
        {
            throw UnpackErrors.InvalidConfig(manifest.Config.Digest, $"the config is a {manifest.Config.MediaType}, not an image config (an artifact has no filesystem)");
        }

        var configBody = await ReadAsync(source, manifest.Config, "image config", cancellationToken).ConfigureAwait(false);
        ImageConfig config;
        try
        {
            config = JsonSerializer.Deserialize(configBody, OciJsonContext.Default.ImageConfig)
                ?? throw UnpackErrors.InvalidConfig(manifest.Config.Digest, "the config is null");
        }
        catch (JsonException ex)
        {
            throw UnpackErrors.InvalidConfig(manifest.Config.Digest, $"the config is not valid JSON: {ex.Message}", ex);
        }

        var diffIds = config.RootFs.DiffIds;
        if (diffIds.Count != manifest.Layers.Count)
        {
            throw UnpackErrors.InvalidConfig(manifest.Config.Digest,
                $"rootfs.diff_ids has {diffIds.Count} entries but the manifest has {manifest.Layers.Count} layers");
        }

        var layers = new List<(Descriptor, Digest)>();
        for (var i = 0; i < diffIds.Count; i++)
        {
            var layer = manifest.Layers[i];
            LayerDecompression.EnsureSupported(layer);
            if (!diffIds[i].IsStorable)
            {
                throw UnpackErrors.InvalidConfig(manifest.Config.Digest, $"diff ID {diffIds[i]} of layer {layer.Digest} uses an algorithm this engine cannot compute");
            }

            await EnsurePresentAsync(store, layer, cancellationToken).ConfigureAwait(false);
            layers.Add((layer, diffIds[i]));
        }

        return new UnpackPlan(config.ToPlatform(), layers);
    }

    private static async Task<byte[]> ReadAsync(IManifestSource source, Descriptor descriptor, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await source.ReadManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Errors.IsNotFound(ex))
        {
            throw UnpackErrors.Missing(descriptor.Digest, what, ex);
        }
    }

    private static async Task EnsurePresentAsync(IContentStore store, Descriptor layer, CancellationToken cancellationToken)
    {
        try
        {
            await store.InfoAsync(layer.Digest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Errors.IsNotFound(ex))
        {
            throw UnpackErrors.Missing(layer.Digest, "layer", ex);
        }
    }
}
