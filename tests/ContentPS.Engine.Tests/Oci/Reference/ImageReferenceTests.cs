using System.Diagnostics;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Oci.Reference;

/// <summary>
/// The notable rules, readable. Every expected value here was also checked against
/// distribution/reference v0.6 (see <see cref="ReferenceOracleTests"/>).
/// </summary>
public class ImageReferenceTests
{
    private const string Sha = "sha256:0d951c95602f417c2d017e07fc10d0f9061bfd7105da2c888018a460eaf5d6e7";
    private const string Hex64 = "0d951c95602f417c2d017e07fc10d0f9061bfd7105da2c888018a460eaf5d6e7";

    [Theory]
    // input, FullName, Domain, Path, Tag, Digest, FamiliarName, FamiliarString
    [InlineData("ubuntu", "docker.io/library/ubuntu", "docker.io", "library/ubuntu", null, null, "ubuntu", "ubuntu")]
    [InlineData("library/ubuntu", "docker.io/library/ubuntu", "docker.io", "library/ubuntu", null, null, "ubuntu", "ubuntu")]
    [InlineData("docker.io/ubuntu", "docker.io/library/ubuntu", "docker.io", "library/ubuntu", null, null, "ubuntu", "ubuntu")]
    [InlineData("index.docker.io/ubuntu:22.04", "docker.io/library/ubuntu", "docker.io", "library/ubuntu", "22.04", null, "ubuntu", "ubuntu:22.04")]
    [InlineData("index.docker.io/library/ubuntu", "docker.io/library/ubuntu", "docker.io", "library/ubuntu", null, null, "ubuntu", "ubuntu")]
    [InlineData("index.docker.io/foo/bar", "docker.io/foo/bar", "docker.io", "foo/bar", null, null, "foo/bar", "foo/bar")]
    [InlineData("library", "docker.io/library/library", "docker.io", "library/library", null, null, "library", "library")]
    [InlineData("docker.io/library/a/b", "docker.io/library/a/b", "docker.io", "library/a/b", null, null, "library/a/b", "library/a/b")]
    [InlineData("foo/bar", "docker.io/foo/bar", "docker.io", "foo/bar", null, null, "foo/bar", "foo/bar")]
    [InlineData("ubuntu:Latest", "docker.io/library/ubuntu", "docker.io", "library/ubuntu", "Latest", null, "ubuntu", "ubuntu:Latest")]
    // A single element is never a domain, so ":5000" is a tag.
    [InlineData("localhost:5000", "docker.io/library/localhost", "docker.io", "library/localhost", "5000", null, "localhost", "localhost:5000")]
    [InlineData("foo:5000", "docker.io/library/foo", "docker.io", "library/foo", "5000", null, "foo", "foo:5000")]
    // A first element is a domain when it is localhost, holds '.' or ':', or is not lowercase.
    [InlineData("localhost/x", "localhost/x", "localhost", "x", null, null, "localhost/x", "localhost/x")]
    [InlineData("localhost:5000/x", "localhost:5000/x", "localhost:5000", "x", null, null, "localhost:5000/x", "localhost:5000/x")]
    [InlineData("[::1]:5000/x", "[::1]:5000/x", "[::1]:5000", "x", null, null, "[::1]:5000/x", "[::1]:5000/x")]
    [InlineData("[::1]/x", "[::1]/x", "[::1]", "x", null, null, "[::1]/x", "[::1]/x")]
    [InlineData("[2001:db8::1]/x:v1", "[2001:db8::1]/x", "[2001:db8::1]", "x", "v1", null, "[2001:db8::1]/x", "[2001:db8::1]/x:v1")]
    [InlineData("Example/app", "Example/app", "Example", "app", null, null, "Example/app", "Example/app")]
    [InlineData("EXAMPLE.COM:443/app", "EXAMPLE.COM:443/app", "EXAMPLE.COM:443", "app", null, null, "EXAMPLE.COM:443/app", "EXAMPLE.COM:443/app")]
    // Taken for a domain ('.'), but not a valid host while the whole is a valid path: no domain at all.
    [InlineData("a_b.c/app", "a_b.c/app", "", "a_b.c/app", null, null, "a_b.c/app", "a_b.c/app")]
    // Tag and digest together.
    [InlineData("quay.io/org/app:v1@" + Sha, "quay.io/org/app", "quay.io", "org/app", "v1", Sha, "quay.io/org/app", "quay.io/org/app:v1@" + Sha)]
    [InlineData("docker.io/library/ubuntu:latest@" + Sha, "docker.io/library/ubuntu", "docker.io", "library/ubuntu", "latest", Sha, "ubuntu", "ubuntu:latest@" + Sha)]
    [InlineData("localhost/foo/bar@" + Sha, "localhost/foo/bar", "localhost", "foo/bar", null, Sha, "localhost/foo/bar", "localhost/foo/bar@" + Sha)]
    // A bare digest is a name "sha256" with a tag.
    [InlineData(Sha, "docker.io/library/sha256", "docker.io", "library/sha256", Hex64, null, "sha256", Sha)]
    public void ParsesAndNormalizes(string input, string fullName, string domain, string path, string? tag, string? digest,
        string familiarName, string familiarString)
    {
        ImageReference r = ImageReference.Parse(input);

        Assert.Equal(fullName, r.FullName);
        Assert.Equal(domain, r.Domain);
        Assert.Equal(path, r.Path);
        Assert.Equal(tag, r.Tag);
        Assert.Equal(digest, r.Digest);
        Assert.Equal(familiarName, r.FamiliarName);
        Assert.Equal(familiarString, r.FamiliarString);
        string expected = fullName + (tag is null ? "" : ":" + tag) + (digest is null ? "" : "@" + digest);
        Assert.Equal(expected, r.ToString());
    }

    [Theory]
    [InlineData("", "invalid reference format")]
    [InlineData(" ubuntu", "invalid reference format")]
    [InlineData("ubuntu:", "invalid reference format")]
    [InlineData("a..b/c", "invalid reference format")]
    [InlineData("[fe80::1%eth0]/x", "invalid reference format")]
    [InlineData("Ubuntu", "invalid reference format: repository name (library/Ubuntu) must be lowercase")]
    [InlineData("foo/Bar", "invalid reference format: repository name (foo/Bar) must be lowercase")]
    [InlineData("Example/App", "invalid reference format: repository name (App) must be lowercase")]
    // The lowercase check runs on everything before the first ':', so it sees a digest algorithm too.
    [InlineData("ubuntu@SHA256:" + Hex64, "invalid reference format: repository name (library/ubuntu@SHA256) must be lowercase")]
    // KELVIN SIGN lowercases to an ASCII 'k' in Go, so the lowercased reference would be valid.
    [InlineData("\u212Aa.com/foo", "repository name must be lowercase")]
    [InlineData(Hex64, "invalid repository name (" + Hex64 + "), cannot specify 64-byte hexadecimal strings")]
    [InlineData("ubuntu@sha256:abc", "invalid reference format")]
    [InlineData("ubuntu@sha256:0d951c95602f417c2d017e07fc10d0f9061bfd7105da2c888018a460eaf5d6e", "invalid checksum digest length")]
    [InlineData("ubuntu@sha512:" + Hex64, "invalid checksum digest length")]
    [InlineData("ubuntu@sha256:0D951C95602F417C2D017E07FC10D0F9061BFD7105DA2C888018A460EAF5D6E7", "invalid checksum digest format")]
    [InlineData("ubuntu@md5:0d951c95602f417c2d017e07fc10d0f9", "unsupported digest algorithm")]
    public void RejectsWithDistributionsMessage(string input, string message)
    {
        InvalidArgumentException ex = Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse(input));
        Assert.Equal(message, ex.Message);
        Assert.Equal("InvalidReference", ex.ErrorId);
        Assert.Equal(input, ex.Target);
        Assert.Equal(ErrorClass.InvalidArgument, ex.Class);

        Assert.False(ImageReference.TryParse(input, out ImageReference? result, out string? error));
        Assert.Null(result);
        Assert.Equal(message, error);
    }

    [Fact]
    public void PathIsLimitedTo255Characters()
    {
        // "library/" counts: a familiar name may have 247 characters.
        Assert.Equal("library/" + new string('x', 247), ImageReference.Parse(new string('x', 247)).Path);
        AssertTooLong(new string('x', 248));

        // The domain does not count.
        string longest = "example.com/" + new string('a', 255);
        Assert.Equal(longest + ":tag", ImageReference.Parse(longest + ":tag").ToString());
        AssertTooLong("example.com/" + new string('a', 256));
        AssertTooLong(string.Concat(Enumerable.Repeat("a/", 128)) + "a");

        static void AssertTooLong(string input)
        {
            InvalidArgumentException ex = Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse(input));
            Assert.Equal("repository name must not be more than 255 characters", ex.Message);
        }
    }

    [Fact]
    public void TryParseTreatsNullAsEmpty()
    {
        Assert.False(ImageReference.TryParse(null, out ImageReference? result, out string? error));
        Assert.Null(result);
        Assert.Equal("invalid reference format", error);
        Assert.Throws<ArgumentNullException>(() => ImageReference.Parse(null!));
    }

    [Fact]
    public void WithDefaultTagAddsLatestOnlyWithoutTagAndDigest()
    {
        Assert.Equal("docker.io/library/ubuntu:latest", ImageReference.Parse("ubuntu").WithDefaultTag().ToString());
        Assert.Equal("ubuntu:latest", ImageReference.Parse("ubuntu").WithDefaultTag().FamiliarString);

        ImageReference tagged = ImageReference.Parse("ubuntu:22.04");
        Assert.Same(tagged, tagged.WithDefaultTag());
        ImageReference digested = ImageReference.Parse("ubuntu@" + Sha);
        Assert.Same(digested, digested.WithDefaultTag());
        Assert.Equal("docker.io/library/ubuntu@" + Sha, digested.WithDefaultTag().ToString());
    }

    [Fact]
    public void WithTagReplacesTagAndKeepsDigest()
    {
        ImageReference r = ImageReference.Parse("quay.io/org/app:v1@" + Sha);
        ImageReference retagged = r.WithTag("v2");
        Assert.Equal("quay.io/org/app:v2@" + Sha, retagged.ToString());
        Assert.Equal("v1", r.Tag);
        Assert.Equal("ubuntu:" + new string('a', 128), ImageReference.Parse("ubuntu").WithTag(new string('a', 128)).FamiliarString);

        foreach (string bad in new[] { "", ".a", "-a", "a/b", "a:b", "a@b", new string('a', 129), "ü" })
        {
            InvalidArgumentException ex = Assert.Throws<InvalidArgumentException>(() => r.WithTag(bad));
            Assert.Equal("invalid tag format", ex.Message);
            Assert.Equal("InvalidTag", ex.ErrorId);
            Assert.Equal(bad, ex.Target);
        }
    }

    [Fact]
    public void WithDigestReplacesDigestAndKeepsTag()
    {
        ImageReference r = ImageReference.Parse("localhost:5000/app:v1");
        ImageReference pinned = r.WithDigest(Sha);
        Assert.Equal("localhost:5000/app:v1@" + Sha, pinned.ToString());
        Assert.Equal(pinned, ImageReference.Parse(pinned.ToString()));
        Assert.Null(r.Digest);

        AssertBadDigest("sha256:abc", "invalid digest format");
        AssertBadDigest(Hex64, "invalid digest format");
        AssertBadDigest("sha256:" + Hex64 + "@x", "invalid digest format");
        AssertBadDigest("sha256:" + Hex64.ToUpperInvariant(), "invalid checksum digest format");
        AssertBadDigest("sha256:" + Hex64 + "00", "invalid checksum digest length");
        AssertBadDigest("md5:0d951c95602f417c2d017e07fc10d0f9", "unsupported digest algorithm");

        void AssertBadDigest(string digest, string message)
        {
            InvalidArgumentException ex = Assert.Throws<InvalidArgumentException>(() => r.WithDigest(digest));
            Assert.Equal(message, ex.Message);
            Assert.Equal("InvalidDigest", ex.ErrorId);
            Assert.Equal(digest, ex.Target);
        }
    }

    [Fact]
    public void EqualityIsByFullString()
    {
        ImageReference a = ImageReference.Parse("ubuntu");
        ImageReference b = ImageReference.Parse("index.docker.io/library/ubuntu");
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ImageReference.Parse("ubuntu:latest"));
        Assert.NotEqual(a, a.WithDefaultTag());
        Assert.False(a.Equals(null));
        Assert.False(a == null);
        Assert.Equal(ImageReference.Parse("ubuntu:latest"), a.WithDefaultTag());
    }

    [Fact]
    public void HostileInputsOfOneHundredThousandCharactersFailFast()
    {
        const int n = 100_000;
        string[] inputs =
        [
            new string('a', n),                                             // valid grammar, too long
            string.Concat(Enumerable.Repeat("a-", n / 2)) + "!",
            string.Concat(Enumerable.Repeat("a.", n / 2)) + "/A",
            string.Concat(Enumerable.Repeat("a_", n / 2)) + "_",
            string.Concat(Enumerable.Repeat("a/", n / 2)) + "/",
            "[" + new string(':', n),
            "a.com:" + new string('1', n) + "x/b",
            "ubuntu:" + new string('a', n),
            "ubuntu@sha256:" + new string('a', n) + "g",
            "ubuntu@" + string.Concat(Enumerable.Repeat("a-", n / 2)) + ":" + Hex64,
            new string(':', n),
            new string('@', n),
            new string('/', n),
            string.Concat(Enumerable.Repeat("A/", n / 2)),
        ];

        var watch = Stopwatch.StartNew();
        foreach (string input in inputs)
        {
            Assert.False(ImageReference.TryParse(input, out _, out string? error), input[..20]);
            Assert.NotNull(error);
        }
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }
}
