using Microsoft.Win32.SafeHandles;

namespace ContentPS.Engine.Content;

/// <summary>Random access to one committed blob through a file handle (positional reads, no shared position).</summary>
internal sealed class LocalContentReader : IContentReader
{
    private readonly SafeFileHandle _handle;

    private LocalContentReader(SafeFileHandle handle, long size)
    {
        _handle = handle;
        Size = size;
    }

    public long Size { get; }

    internal static LocalContentReader Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.RandomAccess);
        try
        {
            return new LocalContentReader(handle, RandomAccess.GetLength(handle));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public ValueTask<int> ReadAtAsync(Memory<byte> buffer, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= Size || buffer.IsEmpty) return ValueTask.FromResult(0);
        var want = (int)Math.Min(buffer.Length, Size - offset);
        return RandomAccess.ReadAsync(_handle, buffer[..want], offset, cancellationToken);
    }

    internal int ReadAt(Span<byte> buffer, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= Size || buffer.IsEmpty) return 0;
        var want = (int)Math.Min(buffer.Length, Size - offset);
        return RandomAccess.Read(_handle, buffer[..want], offset);
    }

    public Stream AsStream() => new ContentReaderStream(this);

    public void Dispose() => _handle.Dispose();

    public ValueTask DisposeAsync()
    {
        _handle.Dispose();
        return ValueTask.CompletedTask;
    }
}
