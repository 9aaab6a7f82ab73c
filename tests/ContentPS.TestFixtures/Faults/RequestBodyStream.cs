using System.Globalization;

namespace ContentPS.TestFixtures;

/// <summary>
/// The body of one request, read from the connection as it arrives: <c>Content-Length</c> bytes
/// or the decoded chunks of a chunked body. Whatever the forwarder leaves unread is drained
/// (<see cref="DrainAsync"/>) so the next request on the connection starts at its first byte.
/// </summary>
internal sealed class RequestBodyStream : Stream
{
    private readonly ConnectionReader _reader;
    private readonly bool _chunked;
    private long _remaining;
    private bool _done;

    private RequestBodyStream(ConnectionReader reader, bool chunked, long length)
    {
        _reader = reader;
        _chunked = chunked;
        _remaining = chunked ? 0 : length;
        _done = !chunked && length == 0;
    }

    /// <summary>The body stream of <paramref name="head"/>, or null when the request has none.</summary>
    public static RequestBodyStream? Open(ConnectionReader reader, RequestHead head) =>
        head.IsChunked ? new(reader, true, 0)
        : head.ContentLength > 0 ? new(reader, false, head.ContentLength)
        : null;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_done || buffer.Length == 0) return 0;
        if (_remaining == 0)
        {
            // Only a chunked body gets here: read the next chunk size (and the trailer after the last).
            if (!await NextChunkAsync(cancellationToken).ConfigureAwait(false)) return 0;
        }

        int read = await _reader.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        if (read == 0) throw new IOException("The client closed the connection inside the request body.");
        _remaining -= read;
        if (_remaining == 0)
        {
            if (_chunked) await ExpectEmptyLineAsync(cancellationToken).ConfigureAwait(false);
            else _done = true;
        }

        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = new byte[16 * 1024];
        while (await ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private async Task<bool> NextChunkAsync(CancellationToken cancellationToken)
    {
        var line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new IOException("The client closed the connection inside a chunked body.");
        var sizeText = line.Split(';')[0].Trim();
        if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
        {
            throw new IOException($"Bad chunk size line '{line}'.");
        }

        if (size > 0)
        {
            _remaining = size;
            return true;
        }

        // Last chunk: skip trailer headers up to the empty line.
        while ((await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty).Length > 0)
        {
        }

        _done = true;
        return false;
    }

    private async Task ExpectEmptyLineAsync(CancellationToken cancellationToken)
    {
        var line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line is not { Length: 0 }) throw new IOException("A chunk is not followed by CRLF.");
    }
}
