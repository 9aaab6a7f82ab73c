using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Oci;

/// <summary>
/// A content digest, <c>algorithm ":" encoded</c>, as defined by the OCI image-spec descriptor grammar.
/// Any digest that matches the grammar parses; only <see cref="IsStorable"/> digests (sha256, sha512)
/// can be computed, verified or turned into a blob path. Registered algorithms are validated exactly
/// (lowercase hex of the right length), so a storable digest can never name a path outside <c>blobs/</c>.
/// </summary>
[JsonConverter(typeof(DigestJsonConverter))]
public sealed class Digest : IEquatable<Digest>
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    /// <summary>Registered by the image-spec (64 lowercase hex) but not implemented by .NET: validated, not storable.</summary>
    public const string Blake3 = "blake3";

    /// <summary>Number of encoded characters <see cref="Short"/> keeps.</summary>
    public const int ShortLength = 12;


    // Messages quote at most this much of a bad input; Target keeps all of it.
    private const int MaxShownLength = 200;
    private readonly string _text;

    private Digest(string algorithm, string encoded, string text)
    {
        Algorithm = algorithm;
        Encoded = encoded;
        _text = text;
    }

    /// <summary>The algorithm part, e.g. <c>sha256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The encoded part (lowercase hex for registered algorithms).</summary>
    public string Encoded { get; }

    /// <summary>True for the algorithms this engine can hash, verify and store: sha256 and sha512.</summary>
    public bool IsStorable => IsStorableAlgorithm(Algorithm);

    /// <summary>The first <see cref="ShortLength"/> characters of the encoded part, for display.</summary>
    public string Short => Encoded.Length <= ShortLength ? Encoded : Encoded[..ShortLength];

    /// <summary>
    /// <c>blobs/&lt;algorithm&gt;/&lt;encoded&gt;</c> with forward slashes, relative to an OCI layout root.
    /// Throws <see cref="UnimplementedException"/> for a digest that is not storable.
    /// </summary>
    public string RelativeBlobPath
    {
        get
        {
            EnsureStorable();
            return "blobs/" + Algorithm + "/" + Encoded;
        }
    }

    /// <summary>True when <paramref name="algorithm"/> is one this engine can hash (sha256, sha512).</summary>
    public static bool IsStorableAlgorithm(string? algorithm) => algorithm is Sha256 or Sha512;

    /// <summary>Parses a digest string or throws <see cref="InvalidArgumentException"/> (<c>InvalidDigest</c>).</summary>
    public static Digest Parse(string value)
    {
        var error = Validate(value, out var digest);
        if (error is not null)
        {
            throw new InvalidArgumentException(error, ErrorIds.InvalidDigest) { Target = value };
        }
        return digest!;
    }

    /// <summary>Parses a digest string; false (and null) when it is not valid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out Digest? digest)
    {
        if (Validate(value, out var parsed) is null && parsed is not null)
        {
            digest = parsed;
            return true;
        }
        digest = null;
        return false;
    }

    /// <summary>The digest of <paramref name="data"/> with a storable algorithm (sha256 by default).</summary>
    public static Digest FromBytes(ReadOnlySpan<byte> data, string algorithm = Sha256)
    {
        EnsureStorableAlgorithm(algorithm);
        Span<byte> hash = stackalloc byte[64];
        var written = algorithm == Sha256 ? SHA256.HashData(data, hash) : SHA512.HashData(data, hash);
        return FromHash(algorithm, hash[..written]);
    }

    /// <summary>Reads <paramref name="stream"/> to its end and returns the digest of what was read.</summary>
    public static async Task<Digest> FromStreamAsync(Stream stream, string algorithm = Sha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var digester = new Digester(algorithm);
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            digester.Append(buffer.AsSpan(0, read));
        }
        return digester.Finish();
    }

    /// <summary>Builds a digest from a raw hash value of a storable algorithm.</summary>
    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash)
    {
        EnsureStorableAlgorithm(algorithm);
        var expected = ExpectedHexLength(algorithm) / 2;
        if (hash.Length != expected)
        {
            throw new InvalidArgumentException(
                $"a {algorithm} hash is {expected} bytes long, got {hash.Length}", ErrorIds.InvalidDigest);
        }
        var encoded = Convert.ToHexString(hash).ToLowerInvariant();
        return new Digest(algorithm, encoded, algorithm + ":" + encoded);
    }

    /// <summary>Throws <see cref="UnimplementedException"/> unless this digest's algorithm is storable.</summary>
    public void EnsureStorable()
    {
        if (!IsStorable)
        {
            throw new UnimplementedException(
                $"digest algorithm \"{Algorithm}\" is not supported (supported: sha256, sha512)",
                ErrorIds.UnsupportedDigestAlgorithm) { Target = _text };
        }
    }

    /// <summary>
    /// Checks that <paramref name="content"/> has this digest; throws <see cref="FailedPreconditionException"/>
    /// (<c>DigestMismatch</c>) naming both digests when it does not.
    /// </summary>
    public void Verify(ReadOnlySpan<byte> content)
    {
        EnsureStorable();
        ThrowIfMismatch(this, FromBytes(content, Algorithm));
    }

    /// <summary>Throws <see cref="FailedPreconditionException"/> (<c>DigestMismatch</c>) when the digests differ.</summary>
    public static void ThrowIfMismatch(Digest expected, Digest actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (!expected.Equals(actual))
        {
            throw new FailedPreconditionException(
                $"digest mismatch: expected {expected}, got {actual}", ErrorIds.DigestMismatch) { Target = expected.ToString() };
        }
    }

    public override string ToString() => _text;

    /// <summary>Value equality; the encoded parts are compared in constant time.</summary>
    public bool Equals(Digest? other)
    {
        if (other is null)
        {
            return false;
        }
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (!string.Equals(Algorithm, other.Algorithm, StringComparison.Ordinal))
        {
            return false;
        }
        // Constant time over the UTF-16 bytes of the encoded parts (no allocation); only the length leaks.
        return CryptographicOperations.FixedTimeEquals(
            MemoryMarshal.AsBytes(Encoded.AsSpan()),
            MemoryMarshal.AsBytes(other.Encoded.AsSpan()));
    }

    public override bool Equals(object? obj) => Equals(obj as Digest);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);

    public static bool operator ==(Digest? left, Digest? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Digest? left, Digest? right) => !(left == right);

    internal static void EnsureStorableAlgorithm(string algorithm)
    {
        if (!IsStorableAlgorithm(algorithm))
        {
            throw new UnimplementedException(
                $"digest algorithm \"{algorithm}\" is not supported (supported: sha256, sha512)",
                ErrorIds.UnsupportedDigestAlgorithm) { Target = algorithm };
        }
    }

    private static int ExpectedHexLength(string algorithm) => algorithm switch
    {
        Sha256 or Blake3 => 64,
        Sha512 => 128,
        _ => 0,
    };

    /// <summary>Returns null and the digest when valid, otherwise a message that says what is wrong.</summary>
    private static string? Validate(string? value, out Digest? digest)
    {
        digest = null;
        if (string.IsNullOrEmpty(value))
        {
            return "digest is empty";
        }
        var colon = value.IndexOf(':');
        if (colon < 0)
        {
            return $"digest \"{(value.Length <= MaxShownLength ? value : value[..MaxShownLength] + "…")}\" has no ':' between algorithm and encoded part";
        }
        var shown = value.Length <= MaxShownLength ? value : value[..MaxShownLength] + "…";
        var algorithm = value[..colon];
        var encoded = value[(colon + 1)..];

        var algorithmError = ValidateAlgorithm(algorithm);
        if (algorithmError is not null)
        {
            return $"digest \"{shown}\" is invalid: {algorithmError}";
        }
        if (encoded.Length == 0)
        {
            return $"digest \"{shown}\" is invalid: the encoded part after ':' is empty";
        }
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '=' or '_' or '-'))
            {
                return $"digest \"{shown}\" is invalid: character '{Printable(c)}' at position {colon + 1 + i} is not allowed in the encoded part (allowed: a-z A-Z 0-9 = _ -)";
            }
        }

        var hexLength = ExpectedHexLength(algorithm);
        if (hexLength > 0)
        {
            for (var i = 0; i < encoded.Length; i++)
            {
                var c = encoded[i];
                if (char.IsAsciiHexDigitUpper(c) && !char.IsAsciiDigit(c))
                {
                    return $"digest \"{shown}\" is invalid: {algorithm} must be lowercase hex, found uppercase '{c}' at position {colon + 1 + i}";
                }
                if (!char.IsAsciiHexDigitLower(c))
                {
                    return $"digest \"{shown}\" is invalid: {algorithm} must be hex, found '{c}' at position {colon + 1 + i}";
                }
            }
            if (encoded.Length != hexLength)
            {
                return $"digest \"{shown}\" is invalid: {algorithm} must have {hexLength} hex characters, got {encoded.Length}";
            }
        }

        digest = new Digest(algorithm, encoded, value);
        return null;
    }

    private static string? ValidateAlgorithm(string algorithm)
    {
        if (algorithm.Length == 0)
        {
            return "the algorithm before ':' is empty";
        }
        var componentStart = true;
        for (var i = 0; i < algorithm.Length; i++)
        {
            var c = algorithm[i];
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                componentStart = false;
                continue;
            }
            if (c is '+' or '.' or '_' or '-')
            {
                if (componentStart)
                {
                    return $"the algorithm \"{Shorten(algorithm)}\" has an empty component before '{c}' at position {i}";
                }
                componentStart = true;
                continue;
            }
            if (char.IsAsciiLetterUpper(c))
            {
                return $"the algorithm \"{Shorten(algorithm)}\" must be lowercase, found '{c}' at position {i}";
            }
            return $"the algorithm \"{Shorten(algorithm)}\" has character '{Printable(c)}' at position {i} (allowed: a-z 0-9 and the separators + . _ -)";
        }
        return componentStart ? $"the algorithm \"{Shorten(algorithm)}\" ends with a separator" : null;
    }

    private static string Shorten(string text) => text.Length <= MaxShownLength ? text : text[..MaxShownLength] + "…";

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"\\u{(int)c:x4}" : c.ToString();
}
