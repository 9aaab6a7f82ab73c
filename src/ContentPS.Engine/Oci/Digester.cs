using System.Security.Cryptography;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Oci;

/// <summary>
/// Incremental hashing of content that arrives in pieces (sha256 or sha512). <see cref="Current"/>
/// peeks at the digest so far; <see cref="Finish"/> ends the stream of bytes.
/// </summary>
public sealed class Digester : IDisposable
{
    private readonly IncrementalHash _hash;
    private Digest? _final;
    private bool _disposed;

    /// <summary>Starts a digester; <see cref="UnimplementedException"/> for an algorithm other than sha256/sha512.</summary>
    public Digester(string algorithm = Digest.Sha256)
    {
        Digest.EnsureStorableAlgorithm(algorithm);
        Algorithm = algorithm;
        _hash = IncrementalHash.CreateHash(algorithm == Digest.Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512);
    }

    public string Algorithm { get; }

    /// <summary>Number of bytes appended so far.</summary>
    public long BytesHashed { get; private set; }

    /// <summary>True once <see cref="Finish"/> has been called.</summary>
    public bool IsFinished => _final is not null;

    /// <summary>Hashes <paramref name="data"/>. Not allowed after <see cref="Finish"/>.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_final is not null)
        {
            throw new FailedPreconditionException("cannot append to a digester after Finish", ErrorIds.DigesterFinished);
        }
        _hash.AppendData(data);
        BytesHashed += data.Length;
    }

    /// <summary>The digest of the bytes appended so far; appending may continue.</summary>
    public Digest Current
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_final is not null)
            {
                return _final;
            }
            Span<byte> buffer = stackalloc byte[64];
            var written = _hash.GetCurrentHash(buffer);
            return Digest.FromHash(Algorithm, buffer[..written]);
        }
    }

    /// <summary>Ends the input and returns the digest; calling it again returns the same digest.</summary>
    public Digest Finish()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_final is null)
        {
            Span<byte> buffer = stackalloc byte[64];
            var written = _hash.GetHashAndReset(buffer);
            _final = Digest.FromHash(Algorithm, buffer[..written]);
        }
        return _final;
    }

    /// <summary>
    /// Finishes and compares with <paramref name="expected"/>; throws <see cref="FailedPreconditionException"/>
    /// (<c>DigestMismatch</c>) naming both digests when they differ. Returns the computed digest.
    /// </summary>
    public Digest Verify(Digest expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var actual = Finish();
        Digest.ThrowIfMismatch(expected, actual);
        return actual;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _hash.Dispose();
        }
    }
}
