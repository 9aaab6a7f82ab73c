namespace ContentPS.Engine.Transfer.Copy;

public static partial class ImageCopy
{
    /// <summary>
    /// Pushes an image record of a local store to a registry: a copy from the store, whose blobs are mounted
    /// from the repositories their distribution-source labels name on the destination's registry when
    /// it has them, else uploaded; then the destination's tag and <see cref="PublishRequest.Tags"/>.
    /// </summary>
    public static Task<CopyResult> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CopyAsync(new CopyRequest
        {
            Source = ImageLocation.InStore(request.Store, request.Name),
            Destination = new RegistryImageLocation(request.Destination),
            Client = request.Client,
            ExtraTags = request.Tags,
            Platforms = request.Platforms,
            PlatformAsManifest = request.PlatformAsManifest,
            Force = request.Force,
            MaxConcurrency = request.MaxConcurrency,
            Tracker = request.Tracker,
        }, cancellationToken);
    }
}
