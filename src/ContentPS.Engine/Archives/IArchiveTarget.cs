namespace ContentPS.Engine.Archives;

/// <summary>
/// Where an export writes: everything goes to a temporary file or folder beside the target, and only
/// <see cref="CommitAsync"/> puts it in place; disposing without a commit deletes what was written.
/// </summary>
internal interface IArchiveTarget : IAsyncDisposable
{
    /// <summary>Writes a small file (<c>index.json</c>, <c>manifest.json</c>) at <paramref name="name"/> (forward slashes).</summary>
    Task WriteFileAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Streams <paramref name="size"/> bytes of <paramref name="content"/> (seekable, at 0) to <paramref name="name"/>.</summary>
    Task WriteBlobAsync(string name, Stream content, long size, CancellationToken cancellationToken);

    /// <summary>Moves what was written to the target path, replacing what is there when the export may.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
