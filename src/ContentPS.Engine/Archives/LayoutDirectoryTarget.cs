namespace ContentPS.Engine.Archives;

/// <summary>An OCI layout directory, written into a temporary folder beside the target and renamed into place.</summary>
internal sealed class LayoutDirectoryTarget : IArchiveTarget
{
    private readonly string _full;
    private readonly string _temp;
    private bool _committed;

    public LayoutDirectoryTarget(string full)
    {
        _full = full;
        _temp = ExportTargetPath.Beside(full, "tmp");
        Directory.CreateDirectory(_temp);
    }

    public async Task WriteFileAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await using var stream = Create(name);
        await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
    }

    public async Task WriteBlobAsync(string name, Stream content, long size, CancellationToken cancellationToken)
    {
        await using var stream = Create(name);
        await content.CopyToAsync(stream, 1 << 20, cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
    }

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ExportTargetPath.Replace(_temp, _full, isDirectory: true);
        _committed = true;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (!_committed) ExportTargetPath.Remove(_temp);
        return ValueTask.CompletedTask;
    }

    private FileStream Create(string name)
    {
        var path = Path.Combine(_temp, name.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
    }
}
