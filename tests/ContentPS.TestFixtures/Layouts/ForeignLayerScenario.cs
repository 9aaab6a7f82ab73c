namespace ContentPS.TestFixtures;

/// <summary>
/// <see cref="LayoutScenario.ForeignLayer"/>: an OCI index of linux/amd64, linux/arm64/v8 and linux/arm/v7 images
/// whose layers are N ordinary layers followed by one non-distributable (foreign) layer, as Windows base images
/// have. The foreign layers carry no <c>urls</c>: distribution 2.8 refuses a manifest whose layers name URLs
/// unless <c>validation.manifests.urls.allow</c> is configured, so the blob itself is pushed (skopeo uploads a
/// URL-less foreign layer like any other) and clients find it in the registry.
/// </summary>
internal static class ForeignLayerScenario
{
    // Far from the seeds AddImage gives ordinary layers (imageSeed * 1000 + i, i < layerCount).
    private const int ForeignLayerSeedOffset = 999;

    public static LayoutBlob Build(ImageLayoutBuilder builder, int layerCount, long layerSize, long seed)
    {
        var manifests = ImageLayouts.MultiPlatforms.Select((platform, i) =>
        {
            var imageSeed = seed * 10 + i;
            var layers = Enumerable.Range(0, layerCount).Select(l => builder.AddLayer(layerSize, imageSeed * 1000 + l)).ToList();
            layers.Add(builder.AddForeignLayer(layerSize, imageSeed * 1000 + ForeignLayerSeedOffset));
            return builder.AddManifest(builder.AddConfig(platform, layers), layers, platform);
        }).ToList();
        return builder.AddIndex(manifests);
    }
}
