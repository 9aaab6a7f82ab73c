using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>
/// An open ingest (containerd's content.Writer). It holds the ingest's OS file lock until disposed;
/// disposing without committing keeps the partial data for a later resume.
/// </summary>
public interface IContentWriter : IAsyncDisposable
{
    string Ref { get; }

    /// <summary>The digest of everything written so far.</summary>
    Digest Digest { get; }

    IngestStatus Status();

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Discards written data down to <paramref name="size"/> (only 0 is required to be supported).</summary>
    Task TruncateAsync(long size, CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies <paramref name="size"/> (when &gt; 0) and <paramref name="expected"/> (when not null),
    /// then moves the content into blobs/ atomically. A mismatch removes the ingest and throws
    /// FailedPrecondition (<c>DigestMismatch</c>/<c>SizeMismatch</c>); content that already exists throws
    /// AlreadyExists and the ingest is cleaned up.
    /// </summary>
    Task CommitAsync(long size, Digest? expected, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default);
}
