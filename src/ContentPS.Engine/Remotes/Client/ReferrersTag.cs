using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Remotes.Client;

/// <summary>The referrers tag schema of the OCI distribution spec, for registries without the referrers API.</summary>
internal static class ReferrersTag
{
    private const int MaxAlgorithmLength = 32;
    private const int MaxEncodedLength = 64;

    /// <summary><c>&lt;alg&gt;-&lt;ref&gt;</c>, the algorithm cut to 32 and the hex to 64 characters (so sha512 still makes a valid tag).</summary>
    public static string For(Digest subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var algorithm = subject.Algorithm.Length > MaxAlgorithmLength ? subject.Algorithm[..MaxAlgorithmLength] : subject.Algorithm;
        var encoded = subject.Encoded.Length > MaxEncodedLength ? subject.Encoded[..MaxEncodedLength] : subject.Encoded;
        return $"{algorithm}-{encoded}";
    }
}
