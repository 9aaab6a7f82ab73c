using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>Buffered reads from a client connection: CRLF lines for the request head, raw bytes for bodies.</summary>
internal sealed class ConnectionReader(Stream stream)
{
    private const int MaxLineLength = 64 * 1024;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next line without its CRLF (a bare LF is accepted), or null at end of stream before any byte.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                if (line.Count == 0) return null;
                throw new IOException("The connection closed in the middle of a line.");
            }

            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int stop = newline < 0 ? _end : newline;
            line.AddRange(new ArraySegment<byte>(_buffer, _start, stop - _start));
            if (line.Count > MaxLineLength) throw new IOException("A request line or header is longer than 64 KiB.");
            if (newline >= 0)
            {
                _start = newline + 1;
                if (line.Count > 0 && line[^1] == '\r') line.RemoveAt(line.Count - 1);
                return Encoding.Latin1.GetString(line.ToArray());
            }

            _start = _end;
        }
    }

    /// <summary>Up to <paramref name="destination"/>.Length bytes; 0 at end of stream.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            if (destination.Length >= _buffer.Length)
            {
                return await stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false)) return 0;
        }

        int count = Math.Min(destination.Length, _end - _start);
        _buffer.AsMemory(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        return _end > 0;
    }
}
