using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Archives;

/// <summary>One regular file of an archive as it was read: its digest and size, held in an open ingest until committed.</summary>
internal sealed class SpooledEntry
{
    public required string Name { get; init; }

    public required long Size { get; init; }

    public required Digest Digest { get; init; }

    /// <summary>The open ingest holding the bytes; null when the store had the content already or for a control file (index.json…).</summary>
    public IContentWriter? Writer { get; set; }

    /// <summary>The bytes, for small JSON entries (manifests, indexes, configs, control files); null otherwise.</summary>
    public byte[]? Body { get; init; }

    /// <summary>True when the entry starts with the gzip magic bytes.</summary>
    public bool IsGzip { get; init; }

    public bool Committed { get; set; }
}
