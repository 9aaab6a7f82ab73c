using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Oci;

public class VerifyingStreamTests
{
    private static readonly byte[] Content = MakeContent();

    private static byte[] MakeContent()
    {
        var data = new byte[200_000];
        new Random(1).NextBytes(data);
        return data;
    }

    private static readonly Digest ContentDigest = Digest.FromBytes(Content);

    /// <summary>A stream that returns at most <c>max</c> bytes per read, to exercise partial reads.</summary>
    private sealed class TrickleStream(byte[] data, int max) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(max, buffer.Length)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(max, buffer.Length)], cancellationToken);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GoodContentPassesThrough(bool knownSize)
    {
        using var verifying = new VerifyingStream(new TrickleStream(Content, 1000), ContentDigest, knownSize ? Content.Length : -1);
        using var copy = new MemoryStream();
        await verifying.CopyToAsync(copy);
        Assert.Equal(Content, copy.ToArray());
        Assert.True(verifying.IsVerified);
        Assert.Equal(Content.Length, verifying.BytesRead);
        Assert.Equal(0, await verifying.ReadAsync(new byte[10]));
    }

    [Fact]
    public void SynchronousReadsVerifyToo()
    {
        using var verifying = new VerifyingStream(new MemoryStream(Content), ContentDigest, Content.Length);
        using var copy = new MemoryStream();
        verifying.CopyTo(copy);
        Assert.True(verifying.IsVerified);
        Assert.Equal(Content.Length, verifying.Position);
        Assert.Equal(Content.Length, verifying.Length);
    }

    [Fact]
    public void KnownSizeVerifiesAsSoonAsAllBytesAreRead()
    {
        using var verifying = new VerifyingStream(new MemoryStream("abc"u8.ToArray()), Digest.FromBytes("abc"u8), 3);
        var buffer = new byte[3];
        Assert.Equal(3, verifying.Read(buffer, 0, 3));
        Assert.True(verifying.IsVerified);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CorruptedContentIsDataLoss(bool knownSize)
    {
        var corrupted = (byte[])Content.Clone();
        corrupted[123_456] ^= 0x01;
        using var verifying = new VerifyingStream(new TrickleStream(corrupted, 4096), ContentDigest, knownSize ? Content.Length : -1);
        var ex = await Assert.ThrowsAsync<FailedPreconditionException>(() => verifying.CopyToAsync(Stream.Null));
        Assert.Equal("DigestMismatch", ex.ErrorId);
        Assert.Contains("expected " + ContentDigest, ex.Message);
        Assert.Contains("got " + Digest.FromBytes(corrupted), ex.Message);
        Assert.False(verifying.IsVerified);
        // A failed stream keeps failing.
        await Assert.ThrowsAsync<FailedPreconditionException>(async () => _ = await verifying.ReadAsync(new byte[1]));
    }

    [Fact]
    public async Task ShortBodyIsSizeMismatch()
    {
        using var verifying = new VerifyingStream(new MemoryStream(Content, 0, 150_000), ContentDigest, Content.Length);
        var ex = await Assert.ThrowsAsync<FailedPreconditionException>(() => verifying.CopyToAsync(Stream.Null));
        Assert.Equal("SizeMismatch", ex.ErrorId);
        Assert.Equal($"content {ContentDigest} ended after 150000 bytes, expected 200000", ex.Message);
        Assert.Equal(ContentDigest.ToString(), ex.Target);
    }

    [Fact]
    public async Task ShortBodyWithUnknownSizeIsDigestMismatch()
    {
        using var verifying = new VerifyingStream(new MemoryStream(Content, 0, 150_000), ContentDigest);
        var ex = await Assert.ThrowsAsync<FailedPreconditionException>(() => verifying.CopyToAsync(Stream.Null));
        Assert.Equal("DigestMismatch", ex.ErrorId);
    }

    [Fact]
    public void LongBodyIsRefusedBeforeTheExtraBytesAreReturned()
    {
        var longer = Content.Concat(new byte[] { 1, 2, 3 }).ToArray();
        using var verifying = new VerifyingStream(new MemoryStream(longer), ContentDigest, Content.Length);
        var buffer = new byte[longer.Length];
        var ex = Assert.Throws<FailedPreconditionException>(() => verifying.ReadExactly(buffer));
        Assert.Equal("SizeMismatch", ex.ErrorId);
        Assert.Contains("longer than the expected 200000 bytes", ex.Message);
    }

    [Fact]
    public void ExtraBytesAfterVerifiedContentAreRefused()
    {
        var longer = "abcd"u8.ToArray();
        using var verifying = new VerifyingStream(new TrickleStream(longer, 3), Digest.FromBytes("abc"u8), 3);
        var buffer = new byte[4];
        Assert.Equal(3, verifying.Read(buffer, 0, 4));
        Assert.True(verifying.IsVerified);
        var ex = Assert.Throws<FailedPreconditionException>(() => verifying.Read(buffer, 0, 4));
        Assert.Equal("SizeMismatch", ex.ErrorId);
    }

    [Fact]
    public void EmptyContent()
    {
        using var verifying = new VerifyingStream(new MemoryStream(), Digest.Parse("sha256:" + TestData.EmptySha256), 0);
        Assert.Equal(-1, verifying.ReadByte());
        Assert.True(verifying.IsVerified);
    }

    [Fact]
    public void ZeroLengthReadDoesNotCountAsEnd()
    {
        using var verifying = new VerifyingStream(new MemoryStream("abc"u8.ToArray()), Digest.FromBytes("abc"u8), 3);
        Assert.Equal(0, verifying.Read([]));
        Assert.False(verifying.IsVerified);
        Assert.Equal((int)'a', verifying.ReadByte());
    }

    [Fact]
    public void DescriptorConstructorUsesDigestAndSize()
    {
        var descriptor = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = ContentDigest, Size = Content.Length };
        using var verifying = new VerifyingStream(new MemoryStream(Content), descriptor);
        Assert.Equal(Content.Length, verifying.ExpectedSize);
        verifying.CopyTo(Stream.Null);
        Assert.True(verifying.IsVerified);
    }

    [Fact]
    public void DisposesInnerUnlessLeaveOpen()
    {
        var inner = new MemoryStream(Content);
        new VerifyingStream(inner, ContentDigest, leaveOpen: true).Dispose();
        Assert.True(inner.CanRead);
        new VerifyingStream(inner, ContentDigest).Dispose();
        Assert.False(inner.CanRead);
    }

    [Fact]
    public void IsReadOnlyAndNotSeekable()
    {
        using var verifying = new VerifyingStream(new MemoryStream(Content), ContentDigest);
        Assert.True(verifying.CanRead);
        Assert.False(verifying.CanSeek);
        Assert.False(verifying.CanWrite);
        Assert.Throws<NotSupportedException>(() => verifying.Length);
        Assert.Throws<NotSupportedException>(() => verifying.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => verifying.Write([1], 0, 1));
    }

    [Fact]
    public void UnsupportedAlgorithmIsRefused()
    {
        var ex = Assert.Throws<UnimplementedException>(() => new VerifyingStream(new MemoryStream(), Digest.Parse("blake3:" + TestData.AbcSha256)));
        Assert.Equal("UnsupportedDigestAlgorithm", ex.ErrorId);
    }

    [Fact]
    public void NegativeSizeIsRefused()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => new VerifyingStream(new MemoryStream(), ContentDigest, -2));
        Assert.Equal("InvalidSize", ex.ErrorId);
    }
}
