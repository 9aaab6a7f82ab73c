using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Archives;

/// <summary>An image manifest with the config and layers it names: one docker archive entry.</summary>
internal sealed record ImageManifestParts(Descriptor Manifest, Descriptor Config, IReadOnlyList<Descriptor> Layers);

/// <summary>One image of an export, as planned.</summary>
internal sealed record PlannedImage(string Name, Descriptor SourceRoot, Descriptor Root, bool IndexRewritten, IReadOnlyList<ImageManifestParts> ImageManifests);

/// <summary>
/// Everything an export writes: the images, the store blobs (each once, in walk order) and the blobs made
/// for the export (rewritten indexes), checked to be in the store before a byte of the target is written.
/// </summary>
internal sealed class ExportPlan
{
    public List<PlannedImage> Images { get; } = [];

    public List<Descriptor> StoreBlobs { get; } = [];

    public Dictionary<Digest, byte[]> MadeBlobs { get; } = [];
}
