using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>Reads committed content (containerd's content.Provider).</summary>
public interface IContentProvider
{
    /// <summary>Opens a committed blob; NotFound (<c>BlobNotFound</c>) when it is absent.</summary>
    Task<IContentReader> OpenReaderAsync(Digest digest, CancellationToken cancellationToken = default);
}

/// <summary>Starts or resumes writes (containerd's content.Ingester).</summary>
public interface IContentIngester
{
    /// <summary>
    /// Opens the writer for <paramref name="reference"/>, resuming its partial data. With an
    /// <paramref name="expectedDigest"/> that is already committed it throws AlreadyExists
    /// (<c>BlobAlreadyExists</c>) before anything else; an empty reference is InvalidArgument
    /// (<c>InvalidIngestRef</c>); a ref whose lock another writer holds is Unavailable (<c>IngestLocked</c>).
    /// <paramref name="expectedSize"/> 0 and a null digest mean unknown (containerd's zero descriptor
    /// fields; a <see cref="Descriptor"/> always has a digest, hence two parameters — see
    /// <see cref="ContentIngesterExtensions"/> for the descriptor form).
    /// </summary>
    Task<IContentWriter> OpenWriterAsync(string reference, long expectedSize = 0, Digest? expectedDigest = null, CancellationToken cancellationToken = default);
}

/// <summary>The descriptor form of <see cref="IContentIngester.OpenWriterAsync"/>.</summary>
public static class ContentIngesterExtensions
{
    /// <summary>Opens a writer expecting <paramref name="expected"/>'s size and digest (null: nothing expected).</summary>
    public static Task<IContentWriter> OpenWriterAsync(this IContentIngester ingester, string reference, Descriptor? expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ingester);
        return ingester.OpenWriterAsync(reference, expected?.Size ?? 0, expected?.Digest, cancellationToken);
    }
}

/// <summary>Committed content metadata (containerd's content.Manager).</summary>
public interface IContentManager
{
    Task<ContentInfo> InfoAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Updates labels. <paramref name="fieldPaths"/>: empty or "labels" replaces all labels;
    /// "labels.&lt;key&gt;" sets that key (an empty value deletes it). Other paths are InvalidArgument.
    /// </summary>
    Task<ContentInfo> UpdateAsync(ContentInfo info, IReadOnlyList<string>? fieldPaths = null, CancellationToken cancellationToken = default);

    /// <summary>Every committed blob matching any of <paramref name="filters"/> (containerd filter syntax).</summary>
    IAsyncEnumerable<ContentInfo> WalkAsync(IReadOnlyList<string>? filters = null, CancellationToken cancellationToken = default);

    Task DeleteAsync(Digest digest, CancellationToken cancellationToken = default);
}

/// <summary>In-progress writes (containerd's content.IngestManager).</summary>
public interface IIngestManager
{
    Task<IngestStatus> StatusAsync(string reference, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IngestStatus>> ListStatusesAsync(IReadOnlyList<string>? filters = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a partial ingest; Unavailable while its writer is open, NotFound when absent.</summary>
    Task AbortAsync(string reference, CancellationToken cancellationToken = default);
}

/// <summary>A content store: everything containerd's content.Store offers.</summary>
public interface IContentStore : IContentProvider, IContentIngester, IContentManager, IIngestManager
{
    /// <summary>The store root, a valid OCI image layout.</summary>
    string Root { get; }
}
