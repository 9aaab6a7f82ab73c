using System.Runtime.CompilerServices;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer;

/// <summary>
/// A read-only view of a blob's source that tells a tracker how far it got (<see cref="ITransferTracker.Downloading"/>
/// after every read, with the position in the blob). Seeking is passed through, so a resume can skip what the
/// ingest holds. Disposing disposes the source.
/// </summary>
internal sealed class TrackedReadStream(Stream source, Descriptor blob, ITransferTracker tracker, long position) : Stream
{
    private long _position = position;

    public override bool CanRead => source.CanRead;

    public override bool CanSeek => source.CanSeek;

    public override bool CanWrite => false;

    public override long Length => source.Length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = source.Seek(offset, origin);

    public override int Read(byte[] buffer, int offset, int count) => Advance(source.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Advance(source.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Pooled: a read that waits for the network allocates no state machine per buffer.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Advance(await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("A tracked source is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A tracked source is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            source.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Advance(int read)
    {
        if (read > 0)
        {
            _position += read;
            tracker.Downloading(blob, _position);
        }

        return read;
    }
}
