namespace ContentPS.Engine.Content;

/// <summary>A read-only, seekable view of an <see cref="IContentReader"/> with its own position; disposing it leaves the reader open.</summary>
public sealed class ContentReaderStream : Stream
{
    private readonly IContentReader _reader;
    private long _position;

    public ContentReaderStream(IContentReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
    }

    /// <summary>The reader this stream reads from (lets copy helpers read at an offset instead of seeking).</summary>
    public IContentReader Reader => _reader;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _reader.Size;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        if (_reader is LocalContentReader local)
        {
            read = local.ReadAt(buffer, _position);
        }
        else
        {
            var rented = new byte[buffer.Length];
            read = _reader.ReadAtAsync(rented, _position).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
        }
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _reader.ReadAtAsync(buffer, _position, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _reader.Size + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        if (target < 0) throw new IOException("cannot seek before the start of the content");
        _position = target;
        return target;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("content is read-only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("content is read-only");
}
