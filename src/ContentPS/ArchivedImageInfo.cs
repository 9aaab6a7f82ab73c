using ContentPS.Engine.Archives;

namespace ContentPS;

/// <summary>One image of an archive that <c>Export-Image</c> wrote or <c>Import-Image</c> read.</summary>
public sealed class ArchivedImageInfo
{
    internal ArchivedImageInfo(ArchivedImage image)
    {
        Name = image.Name;
        Digest = image.Root.Digest.ToString();
        MediaType = image.Root.MediaType;
        Size = image.Root.Size;
        SourceDigest = image.SourceRoot.Digest.ToString();
        IndexRewritten = image.IndexRewritten;
        Manifests = [.. image.Manifests.Select(m => m.Digest.ToString())];
    }

    /// <summary>The image's name: the store record exported, or the record an import wrote.</summary>
    public string Name { get; }

    /// <summary>The root as written (export; for a docker archive the first manifest) or as recorded (import).</summary>
    public string Digest { get; }

    /// <summary>The media type of that root.</summary>
    public string MediaType { get; }

    /// <summary>The size of that root in bytes.</summary>
    public long Size { get; }

    /// <summary>Export: the root in the store. Import: the root the archive named (for a docker archive, the manifest built from <c>manifest.json</c>).</summary>
    public string SourceDigest { get; }

    /// <summary>True when a platform subset of an index was written as a new index, whose digest differs from <see cref="SourceDigest"/>.</summary>
    public bool IndexRewritten { get; }

    /// <summary>The digests of the image manifests written or read for this image.</summary>
    public string[] Manifests { get; }

    public override string ToString() => $"{Name} {Digest}";
}
