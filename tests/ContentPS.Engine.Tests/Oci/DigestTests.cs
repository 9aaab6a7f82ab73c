using System.Text;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Oci;

public class DigestTests
{
    [Theory]
    [InlineData("sha256:" + TestData.AbcSha256, "sha256", TestData.AbcSha256, true)]
    [InlineData("sha512:" + TestData.AbcSha512, "sha512", TestData.AbcSha512, true)]
    [InlineData("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8", "multihash+base58", "QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8", false)]
    [InlineData("sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564", "sha256+b64u", "LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564", false)]
    [InlineData("blake3:" + TestData.AbcSha256, "blake3", TestData.AbcSha256, false)]
    [InlineData("a.b_c-d+e:x", "a.b_c-d+e", "x", false)]
    [InlineData("md5:ABC=", "md5", "ABC=", false)]
    [InlineData("x1:_-=", "x1", "_-=", false)]
    public void ParseAcceptsGrammar(string text, string algorithm, string encoded, bool storable)
    {
        var digest = Digest.Parse(text);
        Assert.Equal(algorithm, digest.Algorithm);
        Assert.Equal(encoded, digest.Encoded);
        Assert.Equal(text, digest.ToString());
        Assert.Equal(storable, digest.IsStorable);
        Assert.True(Digest.TryParse(text, out var again));
        Assert.Equal(digest, again);
    }

    [Theory]
    [InlineData("", "digest is empty")]
    [InlineData("sha256", "has no ':'")]
    [InlineData(TestData.AbcSha256, "has no ':'")]
    [InlineData(":" + TestData.AbcSha256, "the algorithm before ':' is empty")]
    [InlineData("sha256:", "the encoded part after ':' is empty")]
    [InlineData("SHA256:" + TestData.AbcSha256, "must be lowercase, found 'S'")]
    [InlineData("sha256:" + "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", "sha256 must be lowercase hex, found uppercase 'B' at position 7")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015aD", "found uppercase 'D' at position 70")]
    [InlineData("sha256:ba7816bf", "sha256 must have 64 hex characters, got 8")]
    [InlineData("sha256:" + TestData.AbcSha256 + "00", "sha256 must have 64 hex characters, got 66")]
    [InlineData("sha512:" + TestData.AbcSha256, "sha512 must have 128 hex characters, got 64")]
    [InlineData("sha256:" + "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg", "sha256 must be hex, found 'g' at position 7")]
    [InlineData("sha256:../../x", "character '.' at position 7 is not allowed")]
    [InlineData("sha256:abc/def", "character '/' at position 10 is not allowed")]
    [InlineData("sha256:abc\\def", "character '\\' at position 10")]
    [InlineData("sha256:" + TestData.AbcSha256 + ":x", "character ':' at position 71")]
    [InlineData("sha256: " + TestData.AbcSha256, "character '\\u0020' at position 7")]
    [InlineData("sha256:abc\0", "character '\\u0000' at position 10")]
    [InlineData("sha256:é", "character 'é' at position 7")]
    [InlineData("sha 256:x", "has character '\\u0020' at position 3")]
    [InlineData("sha256+:x", "ends with a separator")]
    [InlineData("+sha256:x", "empty component before '+' at position 0")]
    [InlineData("sha256..b64:x", "empty component before '.' at position 7")]
    [InlineData("sha/256:x", "has character '/' at position 3")]
    [InlineData("../x:y", "empty component before '.' at position 0")]
    public void ParseRejectsWithClearMessage(string text, string messagePart)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => Digest.Parse(text));
        Assert.Equal("InvalidDigest", ex.ErrorId);
        Assert.Equal(text, ex.Target);
        Assert.Contains(messagePart, ex.Message);
        Assert.False(Digest.TryParse(text, out var digest));
        Assert.Null(digest);
    }

    [Fact]
    public void TryParseNullIsFalse()
    {
        Assert.False(Digest.TryParse(null, out var digest));
        Assert.Null(digest);
        Assert.Throws<InvalidArgumentException>(() => Digest.Parse(null!));
    }

    [Fact]
    public void FromBytesKnownVectors()
    {
        Assert.Equal("sha256:" + TestData.EmptySha256, Digest.FromBytes([]).ToString());
        Assert.Equal("sha256:" + TestData.AbcSha256, Digest.FromBytes("abc"u8).ToString());
        Assert.Equal("sha512:" + TestData.AbcSha512, Digest.FromBytes("abc"u8, Digest.Sha512).ToString());
        Assert.Equal("sha512:" + TestData.EmptySha512, Digest.FromBytes([], "sha512").ToString());
        Assert.Equal("sha256:" + TestData.EmptyJsonSha256, Digest.FromBytes("{}"u8).ToString());
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("blake3")]
    [InlineData("SHA256")]
    [InlineData("")]
    public void FromBytesRefusesUnsupportedAlgorithm(string algorithm)
    {
        var ex = Assert.Throws<UnimplementedException>(() => Digest.FromBytes("abc"u8, algorithm));
        Assert.Equal("UnsupportedDigestAlgorithm", ex.ErrorId);
    }

    [Fact]
    public async Task FromStreamMatchesFromBytes()
    {
        var data = new byte[300_000];
        new Random(42).NextBytes(data);
        using var stream = new MemoryStream(data);
        Assert.Equal(Digest.FromBytes(data), await Digest.FromStreamAsync(stream));
        using var again = new MemoryStream(data);
        Assert.Equal(Digest.FromBytes(data, Digest.Sha512), await Digest.FromStreamAsync(again, Digest.Sha512));
        Assert.Equal("sha256:" + TestData.EmptySha256, (await Digest.FromStreamAsync(new MemoryStream())).ToString());
    }

    [Fact]
    public void ShortIsTwelveCharacters()
    {
        Assert.Equal("ba7816bf8f01", Digest.Parse("sha256:" + TestData.AbcSha256).Short);
        Assert.Equal("x", Digest.Parse("a:x").Short);
    }

    [Fact]
    public void RelativeBlobPathForStorableDigests()
    {
        Assert.Equal("blobs/sha256/" + TestData.AbcSha256, Digest.Parse("sha256:" + TestData.AbcSha256).RelativeBlobPath);
        Assert.Equal("blobs/sha512/" + TestData.AbcSha512, Digest.Parse("sha512:" + TestData.AbcSha512).RelativeBlobPath);
    }

    [Theory]
    [InlineData("blake3:" + TestData.AbcSha256)]
    [InlineData("sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564")]
    [InlineData("md5:abc")]
    public void RelativeBlobPathRefusesUnregistered(string text)
    {
        var digest = Digest.Parse(text);
        var ex = Assert.Throws<UnimplementedException>(() => digest.RelativeBlobPath);
        Assert.Equal("UnsupportedDigestAlgorithm", ex.ErrorId);
        Assert.Equal(text, ex.Target);
        Assert.Throws<UnimplementedException>(() => digest.Verify("abc"u8));
    }

    [Fact]
    public void EqualityIsByValue()
    {
        var a = Digest.Parse("sha256:" + TestData.AbcSha256);
        var b = Digest.Parse("sha256:" + new string(TestData.AbcSha256.ToCharArray()));
        var c = Digest.Parse("sha256:" + TestData.EmptySha256);
        var differentLastChar = Digest.Parse("sha256:" + TestData.AbcSha256[..63] + "e");
        var otherAlgorithm = Digest.Parse("blake3:" + TestData.AbcSha256);
        var shorter = Digest.Parse("x:" + "ab");
        var longer = Digest.Parse("x:" + "abc");

        Assert.True(a.Equals(b));
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.Equals(c));
        Assert.False(a.Equals(differentLastChar));
        Assert.False(a.Equals(otherAlgorithm));
        Assert.False(shorter.Equals(longer));
        Assert.False(a.Equals(null));
        Assert.False(a.Equals((object)a.ToString()));
        Assert.True(a.Equals((object)b));
        Assert.True((Digest?)null == null);
        Assert.False(a == null);
        Assert.False(null == a);
        Assert.Equal(2, new HashSet<Digest> { a, b, c }.Count);
    }

    [Fact]
    public void EncodedComparisonIsCaseSensitiveForUnregistered()
    {
        Assert.NotEqual(Digest.Parse("x:AbC"), Digest.Parse("x:abc"));
    }

    [Fact]
    public void VerifyBytes()
    {
        var digest = Digest.Parse("sha256:" + TestData.AbcSha256);
        digest.Verify("abc"u8);
        var ex = Assert.Throws<FailedPreconditionException>(() => digest.Verify("abd"u8));
        Assert.Equal("DigestMismatch", ex.ErrorId);
        Assert.Contains("expected sha256:" + TestData.AbcSha256, ex.Message);
        Assert.Contains("got " + Digest.FromBytes("abd"u8), ex.Message);
    }

    [Fact]
    public void FromHashChecksLength()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => Digest.FromHash("sha256", new byte[31]));
        Assert.Contains("32 bytes", ex.Message);
        Assert.Equal("sha256:" + new string('0', 64), Digest.FromHash("sha256", new byte[32]).ToString());
    }

    [Fact]
    public void ParsedDigestNeverEscapesBlobs()
    {
        // Every storable digest is exactly alg + lowercase hex, so its path has two separators and no dots.
        foreach (var text in new[] { "sha256:" + TestData.AbcSha256, "sha512:" + TestData.AbcSha512 })
        {
            var path = Digest.Parse(text).RelativeBlobPath;
            Assert.Equal(2, path.Count(c => c == '/'));
            Assert.DoesNotContain("..", path);
            Assert.DoesNotContain('\\', path);
            Assert.StartsWith("blobs/", path);
        }
        Assert.False(Digest.TryParse("sha256:" + Encoding.ASCII.GetString(new byte[64]).Replace('\0', '.'), out _));
    }

    [Fact]
    public void HugeInputIsShortenedInTheMessageButKeptInTarget()
    {
        var text = "sha256:" + new string('a', 10_000);
        var ex = Assert.Throws<InvalidArgumentException>(() => Digest.Parse(text));
        Assert.Equal(text, ex.Target);
        Assert.True(ex.Message.Length < 400, ex.Message);
        Assert.Contains("sha256 must have 64 hex characters, got 10000", ex.Message);
        Assert.True(ex.Message.Length < 400);
        Assert.True(Assert.Throws<InvalidArgumentException>(() => Digest.Parse(new string('a', 10_000))).Message.Length < 400);
    }
}
