using ContentPS.Engine.Content;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>A <see cref="ContentReaderStream"/> that also disposes its reader (the file handle) when it is disposed.</summary>
internal sealed class ReaderOwningStream(IContentReader reader) : Stream
{
    private readonly ContentReaderStream _stream = new(reader);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _stream.Length;

    public override long Position
    {
        get => _stream.Position;
        set => _stream.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => _stream.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _stream.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _stream.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _stream.ReadAsync(buffer, cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => _stream.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("A store blob is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A store blob is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream.Dispose();
            reader.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        await reader.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
