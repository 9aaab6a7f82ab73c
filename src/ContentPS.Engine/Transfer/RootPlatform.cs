using System.Text.Json;
using ContentPS.Engine.Content;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer;

/// <summary>The platform an image manifest's committed config names, for a pull of a single manifest.</summary>
internal static class RootPlatform
{
    /// <summary><c>os/arch[/variant]</c>, or null when the config is not an image config or names no platform.</summary>
    public static async Task<string?> ReadAsync(IContentStore store, Descriptor manifest, CancellationToken cancellationToken)
    {
        var source = new ContentStoreManifestSource(store);
        var parsed = ManifestParser.ParseManifest(await source.ReadManifestAsync(manifest, cancellationToken).ConfigureAwait(false), manifest.MediaType);
        if (!MediaTypes.IsConfig(parsed.Config.MediaType))
        {
            return null;
        }

        var body = await source.ReadManifestAsync(parsed.Config, cancellationToken).ConfigureAwait(false);
        ImageConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(body, OciJsonContext.Default.ImageConfig);
        }
        catch (JsonException)
        {
            return null; // only the summary would have shown it
        }

        return config is { OS.Length: > 0, Architecture.Length: > 0 }
            ? Platforms.Format(new Platform { OS = config.OS, Architecture = config.Architecture, Variant = config.Variant })
            : null;
    }
}
