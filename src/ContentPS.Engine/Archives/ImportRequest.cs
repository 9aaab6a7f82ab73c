using ContentPS.Engine.Content;
using ContentPS.Engine.Transfer;

namespace ContentPS.Engine.Archives;

/// <summary>What <see cref="ImageImport.ImportAsync"/> reads and into which store.</summary>
public sealed record ImportRequest
{
    public required IContentStore Store { get; init; }

    /// <summary>An OCI layout directory, or a file: an OCI archive or a docker archive, tar or tar.gz.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// The record name for the archive's only image, instead of the names the archive gives it; null: the
    /// archive's names. An archive holding several images with a name given is InvalidArgument.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>Told each blob as it is committed (Done) or found in the store (AlreadyPresent); null: nobody.</summary>
    public ITransferTracker? Tracker { get; init; }

    /// <summary>Told the bytes of an archive file read so far, as a tar is read front to back (not called for a layout directory); null: nobody.</summary>
    public IProgress<long>? ReadProgress { get; init; }
}
