using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Oci;

/// <summary>
/// A read-only stream that hashes what passes through it and checks size and digest. With a known
/// size the check runs as soon as that many bytes have been read, and any further byte is an error;
/// otherwise it runs at end of stream. Failures are <see cref="FailedPreconditionException"/> with
/// <c>DigestMismatch</c> or <c>SizeMismatch</c>; once failed, every later read throws again.
/// </summary>
public sealed class VerifyingStream : Stream
{
    private readonly Stream _inner;
    private readonly Digester _digester;
    private readonly bool _leaveOpen;
    private Exception? _failure;
    private bool _disposed;

    /// <param name="inner">The source.</param>
    /// <param name="expectedDigest">The digest the content must have (sha256 or sha512).</param>
    /// <param name="expectedSize">The exact size, or -1 when unknown.</param>
    /// <param name="leaveOpen">Leave <paramref name="inner"/> open when this stream is disposed.</param>
    public VerifyingStream(Stream inner, Digest expectedDigest, long expectedSize = -1, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(expectedDigest);
        if (!inner.CanRead)
        {
            throw new ArgumentException("the inner stream must be readable", nameof(inner));
        }
        if (expectedSize < -1)
        {
            throw new InvalidArgumentException($"expected size {expectedSize} is negative", ErrorIds.InvalidSize) { Target = expectedDigest.ToString() };
        }
        expectedDigest.EnsureStorable();
        _inner = inner;
        ExpectedDigest = expectedDigest;
        ExpectedSize = expectedSize;
        _leaveOpen = leaveOpen;
        _digester = new Digester(expectedDigest.Algorithm);
    }

    /// <summary>Verifies against a descriptor's digest and size.</summary>
    public VerifyingStream(Stream inner, Descriptor descriptor, bool leaveOpen = false)
        : this(inner, (descriptor ?? throw new ArgumentNullException(nameof(descriptor))).Digest, descriptor.Size, leaveOpen)
    {
    }

    public Digest ExpectedDigest { get; }

    /// <summary>The expected size, or -1 when unknown.</summary>
    public long ExpectedSize { get; }

    /// <summary>Bytes read through this stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>True once size and digest have been checked and matched.</summary>
    public bool IsVerified { get; private set; }

    public override bool CanRead => !_disposed;
    public override bool CanSeek => false;
    public override bool CanWrite => false;

    public override long Length => ExpectedSize >= 0 ? ExpectedSize : throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        BeforeRead();
        if (buffer.IsEmpty)
        {
            return 0;
        }
        var read = _inner.Read(buffer);
        return AfterRead(buffer[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BeforeRead();
        if (buffer.IsEmpty)
        {
            return 0;
        }
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return AfterRead(buffer.Span[..read]);
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    private void BeforeRead()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null)
        {
            throw _failure;
        }
    }

    private int AfterRead(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            // End of the source: whatever was not yet checked is checked now.
            if (!IsVerified)
            {
                if (ExpectedSize >= 0 && BytesRead != ExpectedSize)
                {
                    Fail(new FailedPreconditionException(
                        $"content {ExpectedDigest} ended after {BytesRead} bytes, expected {ExpectedSize}",
                        ErrorIds.SizeMismatch) { Target = ExpectedDigest.ToString() });
                }
                CheckDigest();
            }
            return 0;
        }

        if (ExpectedSize >= 0 && BytesRead + data.Length > ExpectedSize)
        {
            Fail(new FailedPreconditionException(
                $"content {ExpectedDigest} is longer than the expected {ExpectedSize} bytes",
                ErrorIds.SizeMismatch) { Target = ExpectedDigest.ToString() });
        }
        _digester.Append(data);
        BytesRead += data.Length;
        if (ExpectedSize >= 0 && BytesRead == ExpectedSize)
        {
            CheckDigest();
        }
        return data.Length;
    }

    private void CheckDigest()
    {
        try
        {
            _digester.Verify(ExpectedDigest);
            IsVerified = true;
        }
        catch (FailedPreconditionException ex)
        {
            Fail(ex);
        }
    }

    private void Fail(Exception ex)
    {
        _failure = ex;
        throw ex;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _digester.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _digester.Dispose();
            if (!_leaveOpen)
            {
                await _inner.DisposeAsync().ConfigureAwait(false);
            }
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
