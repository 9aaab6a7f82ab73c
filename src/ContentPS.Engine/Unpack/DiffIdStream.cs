using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Unpack;

/// <summary>
/// The uncompressed layer as the tar reader consumes it, hashed on the way (the layer's diff ID). Reading to the
/// end (<see cref="DrainAndDigest"/>) covers the bytes after the tar's end blocks, which the diff ID includes.
/// </summary>
internal sealed class DiffIdStream(Stream inner, string algorithm) : Stream
{
    private readonly Digester _digester = new(algorithm);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _digester.BytesHashed;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _digester.Append(buffer[..read]);
        return read;
    }

    /// <summary>Reads what is left and returns the digest of everything read.</summary>
    public Digest DrainAndDigest(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (Read(buffer) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return _digester.Current;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _digester.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
