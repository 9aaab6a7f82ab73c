using System.Buffers.Binary;

namespace ContentPS.TestFixtures;

/// <summary>
/// A read-only, seekable stream of <c>length</c> pseudo-random bytes that depend only on the seed
/// and the position (SplitMix64 of each 8-byte block), so gigabyte layers need no memory.
/// </summary>
internal sealed class SeededByteStream : Stream
{
    private readonly ulong _seed;
    private readonly long _length;
    private long _position;

    public SeededByteStream(long seed, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _seed = Mix(unchecked((ulong)seed) ^ 0x5DEECE66DUL);
        _length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, Math.Max(0, _length - _position));
        Span<byte> block = stackalloc byte[8];
        for (var i = 0; i < count;)
        {
            var position = _position + i;
            var blockIndex = (ulong)(position / 8);
            var inBlock = (int)(position % 8);
            BinaryPrimitives.WriteUInt64LittleEndian(block, Mix(_seed + (blockIndex * 0x9E3779B97F4A7C15UL)));
            var take = Math.Min(8 - inBlock, count - i);
            block.Slice(inBlock, take).CopyTo(buffer[i..]);
            i += take;
        }

        _position += count;
        return count;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => _length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
