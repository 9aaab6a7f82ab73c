using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Remotes.Client;

/// <summary>The errors for content a registry sends that is not what was asked for.</summary>
internal static class ContentChecks
{
    public static FailedPreconditionException DigestMismatch(Digest expected, Digest actual, string target) =>
        new($"{target}: the registry sent content with digest {actual}, expected {expected}", ErrorIds.DigestMismatch) { Target = target };

    public static FailedPreconditionException SizeMismatch(string target, string what) =>
        new($"{target}: {what}", ErrorIds.SizeMismatch) { Target = target };

    public static UnimplementedException Schema1(string target) =>
        new($"{target} is a Docker schema 1 manifest; schema 1 is not supported (push the image again with a current client: Docker schema 2 or OCI)",
            ErrorIds.UnsupportedSchema1) { Target = target };

    public static void VerifyDigest(Digest expected, ReadOnlySpan<byte> content, string target)
    {
        expected.EnsureStorable();
        var actual = Digest.FromBytes(content, expected.Algorithm);
        if (!actual.Equals(expected))
        {
            throw DigestMismatch(expected, actual, target);
        }
    }
}
