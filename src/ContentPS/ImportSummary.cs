using ContentPS.Engine.Archives;

namespace ContentPS;

/// <summary>What <c>Import-Image -Summary</c> did with one archive: the records it wrote and the blobs it stored.</summary>
public sealed class ImportSummary
{
    internal ImportSummary(ImportResult result, string store)
    {
        Path = result.Path;
        Format = result.Format;
        Images = [.. result.Images.Select(image => new ArchivedImageInfo(image))];
        BlobsWritten = result.BlobsWritten;
        BlobsExisting = result.BlobsExisting;
        BytesWritten = result.BytesWritten;
        Elapsed = result.Elapsed;
        Store = store;
    }

    /// <summary>The full path of the layout directory or archive file read.</summary>
    public string Path { get; }

    /// <summary>The form the archive turned out to be in: OciLayout, OciArchive or DockerArchive.</summary>
    public ArchiveFormat Format { get; }

    /// <summary>One per image record written (an image with two names appears twice).</summary>
    public ArchivedImageInfo[] Images { get; }

    /// <summary>Blobs stored by this import (docker manifests built for it included).</summary>
    public int BlobsWritten { get; }

    /// <summary>Blobs the store had already.</summary>
    public int BlobsExisting { get; }

    /// <summary>Bytes of the blobs stored.</summary>
    public long BytesWritten { get; }

    /// <summary>How long the import took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The store the images were imported into.</summary>
    public string Store { get; }

    public override string ToString() => Path;
}
