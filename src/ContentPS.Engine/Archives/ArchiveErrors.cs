using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Archives;

/// <summary>The classified errors of reading an archive or layout.</summary>
internal static class ArchiveErrors
{
    public static InvalidArgumentException Invalid(string archive, string reason, Exception? inner = null) =>
        new($"{archive}: {reason}", ErrorIds.ArchiveInvalid, inner) { Target = archive };

    public static InvalidArgumentException Unsafe(string archive, string entry, string reason) =>
        new($"{archive}: refusing entry \"{entry}\": {reason}", ErrorIds.ArchiveUnsafeEntry) { Target = entry };

    public static DataLossException Truncated(string archive, string reason, Exception? inner = null) =>
        new($"{archive} is truncated: {reason}", ErrorIds.ArchiveTruncated, inner) { Target = archive };

    public static NotFoundException MissingBlob(string archive, string digest, string neededBy) =>
        new($"{archive} does not hold blob {digest}, which {neededBy} names", ErrorIds.BlobNotFound) { Target = digest };
}
