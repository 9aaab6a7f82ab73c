using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Archives;

/// <summary>One image an archive holds: the names it gives it and its root.</summary>
internal sealed record ImportedRoot(IReadOnlyList<string> Names, Descriptor Root, IReadOnlyList<Descriptor> Manifests);

/// <summary>What an import commits: blobs spooled from the archive, blobs made for it (docker manifests), and the images.</summary>
internal sealed class ImportPlan
{
    public required ArchiveFormat Format { get; init; }

    public List<ImportedRoot> Images { get; } = [];

    /// <summary>Each blob once, with the entry holding it.</summary>
    public Dictionary<Digest, (Descriptor Descriptor, SpooledEntry Entry)> Blobs { get; } = [];

    public Dictionary<Digest, (Descriptor Descriptor, byte[] Body)> MadeBlobs { get; } = [];
}
