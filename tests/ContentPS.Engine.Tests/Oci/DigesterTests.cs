using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Oci;

public class DigesterTests
{
    [Theory]
    [InlineData("sha256", 1)]
    [InlineData("sha256", 7)]
    [InlineData("sha256", 4096)]
    [InlineData("sha512", 13)]
    public void StreamingEqualsOneShot(string algorithm, int chunk)
    {
        var data = new byte[100_003];
        new Random(7).NextBytes(data);
        using var digester = new Digester(algorithm);
        for (var offset = 0; offset < data.Length; offset += chunk)
        {
            digester.Append(data.AsSpan(offset, Math.Min(chunk, data.Length - offset)));
        }
        Assert.Equal(data.Length, digester.BytesHashed);
        Assert.Equal(Digest.FromBytes(data, algorithm), digester.Finish());
        Assert.True(digester.IsFinished);
    }

    [Fact]
    public void CurrentPeeksWithoutEnding()
    {
        using var digester = new Digester();
        Assert.Equal("sha256:" + TestData.EmptySha256, digester.Current.ToString());
        digester.Append("ab"u8);
        Assert.Equal(Digest.FromBytes("ab"u8), digester.Current);
        digester.Append("c"u8);
        Assert.Equal("sha256:" + TestData.AbcSha256, digester.Current.ToString());
        Assert.Equal(3, digester.BytesHashed);
        Assert.Equal("sha256:" + TestData.AbcSha256, digester.Finish().ToString());
        Assert.Equal("sha256:" + TestData.AbcSha256, digester.Finish().ToString());
        Assert.Equal("sha256:" + TestData.AbcSha256, digester.Current.ToString());
    }

    [Fact]
    public void AppendAfterFinishIsRefused()
    {
        using var digester = new Digester();
        digester.Finish();
        var ex = Assert.Throws<FailedPreconditionException>(() => digester.Append("x"u8));
        Assert.Equal("DigesterFinished", ex.ErrorId);
    }

    [Fact]
    public void DisposedDigesterThrows()
    {
        var digester = new Digester();
        digester.Dispose();
        digester.Dispose();
        Assert.Throws<ObjectDisposedException>(() => digester.Append("x"u8));
        Assert.Throws<ObjectDisposedException>(() => digester.Finish());
    }

    [Fact]
    public void VerifyMatchReturnsDigest()
    {
        using var digester = new Digester();
        digester.Append("abc"u8);
        Assert.Equal("sha256:" + TestData.AbcSha256, digester.Verify(Digest.Parse("sha256:" + TestData.AbcSha256)).ToString());
    }

    [Fact]
    public void VerifyMismatchNamesBothDigests()
    {
        using var digester = new Digester();
        digester.Append("abc"u8);
        var expected = Digest.Parse("sha256:" + TestData.EmptySha256);
        var ex = Assert.Throws<FailedPreconditionException>(() => digester.Verify(expected));
        Assert.Equal("DigestMismatch", ex.ErrorId);
        Assert.Equal(ErrorClass.FailedPrecondition, ex.Class);
        Assert.Equal($"digest mismatch: expected sha256:{TestData.EmptySha256}, got sha256:{TestData.AbcSha256}", ex.Message);
        Assert.Equal(expected.ToString(), ex.Target);
    }

    [Fact]
    public void VerifyAgainstOtherAlgorithmIsMismatch()
    {
        using var digester = new Digester(Digest.Sha512);
        digester.Append("abc"u8);
        Assert.Throws<FailedPreconditionException>(() => digester.Verify(Digest.Parse("sha256:" + TestData.AbcSha256)));
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("blake3")]
    [InlineData("Sha256")]
    public void UnsupportedAlgorithm(string algorithm)
    {
        var ex = Assert.Throws<UnimplementedException>(() => new Digester(algorithm));
        Assert.Equal("UnsupportedDigestAlgorithm", ex.ErrorId);
    }
}
