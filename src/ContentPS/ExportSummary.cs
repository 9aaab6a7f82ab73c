using ContentPS.Engine.Archives;

namespace ContentPS;

/// <summary>What one <c>Export-Image</c> call wrote: the directory or file, its format, the images in it, and how much.</summary>
public sealed class ExportSummary
{
    internal ExportSummary(ExportResult result, string store)
    {
        Path = result.Path;
        Format = result.Format;
        Images = [.. result.Images.Select(image => new ArchivedImageInfo(image))];
        BlobsWritten = result.BlobsWritten;
        BytesWritten = result.BytesWritten;
        Elapsed = result.Elapsed;
        Store = store;
    }

    /// <summary>The full path of the layout directory or archive file written.</summary>
    public string Path { get; }

    /// <summary>OciLayout, OciArchive or DockerArchive.</summary>
    public ArchiveFormat Format { get; }

    /// <summary>The images written, in the order they were named.</summary>
    public ArchivedImageInfo[] Images { get; }

    /// <summary>Blobs written, each once however many images share it (rewritten indexes and docker files not counted).</summary>
    public int BlobsWritten { get; }

    /// <summary>Bytes of blob content written.</summary>
    public long BytesWritten { get; }

    /// <summary>How long the export took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The store the images were read from.</summary>
    public string Store { get; }

    public override string ToString() => Path;
}
