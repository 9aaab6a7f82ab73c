using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Content.Store;

/// <summary>
/// containerd's checkResume cases: write a prefix, close, reopen at the same offset, finish five ways —
/// for sizes 500, 5000, 50000 and truncation points 0, 0.1, 0.5, 0.9, 1.0.
/// </summary>
public sealed class ResumeSuiteTests : StoreTestBase
{
    public enum Finish
    {
        Truncate,
        Discard,
        Copy,
        CopySeeker,
        CopyReaderAt,
    }

    public static TheoryData<Finish, long, double> Cases()
    {
        var data = new TheoryData<Finish, long, double>();
        foreach (var finish in Enum.GetValues<Finish>())
        {
            foreach (var size in new long[] { 500, 5000, 50000 })
            {
                foreach (var point in new[] { 0.0, 0.1, 0.5, 0.9, 1.0 })
                {
                    data.Add(finish, size, point);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Resume(Finish finish, long size, double truncation)
    {
        var (content, digest) = CreateContent(size);
        var limit = (long)(size * truncation);
        var reference = $"ref-{size}-{truncation}";

        await using (var first = await Store.OpenWriterAsync(reference, size, digest))
        {
            await first.WriteAsync(content.AsMemory(0, (int)limit));
        }

        await using var writer = await Store.OpenWriterAsync(reference, size, digest);
        Assert.Equal(limit, writer.Status().Offset);
        Assert.Equal(Digest.FromBytes(content.AsSpan(0, (int)limit)), writer.Digest);

        var preCommit = DateTimeOffset.UtcNow;
        switch (finish)
        {
            case Finish.Truncate:
                await writer.TruncateAsync(0);
                Assert.Equal(Digest.FromBytes([]), writer.Digest);
                await WriteInPiecesAsync(writer, content, 1024);
                await writer.CommitAsync(size, digest);
                break;
            case Finish.Discard:
                await WriteInPiecesAsync(writer, content[(int)limit..], 1024);
                await writer.CommitAsync(size, digest);
                break;
            case Finish.Copy:
            {
                var source = new CountingStream(content, seekable: false);
                Assert.True(await ContentHelpers.CopyAsync(writer, source, size, digest));
                Assert.Equal(size, source.BytesRead); // read and discarded up to the offset
                break;
            }
            case Finish.CopySeeker:
            {
                var source = new CountingStream(content, seekable: true);
                Assert.True(await ContentHelpers.CopyAsync(writer, source, size, digest));
                Assert.Equal(size - limit, source.BytesRead); // seeked past the offset
                break;
            }
            case Finish.CopyReaderAt:
            {
                var source = new ReaderAtStream(content);
                Assert.True(await ContentHelpers.CopyAsync(writer, source, size, digest));
                // Read at the offset: nothing before it was read, nothing read twice.
                Assert.Equal(limit > 0 ? 0 : size, source.BytesRead);
                Assert.Equal(limit > 0 ? size - limit : 0, source.BytesReadAt);
                break;
            }
        }
        var postCommit = DateTimeOffset.UtcNow;

        await CheckInfoAsync(digest, size, null, preCommit, postCommit, preCommit, postCommit);
        Assert.Empty(await Store.ListStatusesAsync());
    }

    /// <summary>A read-only stream over bytes that counts what it hands out; seekable or not.</summary>
    private class CountingStream(byte[] content, bool seekable) : Stream
    {
        private long _position;

        protected byte[] Content => content;

        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => seekable;
        public override bool CanWrite => false;
        public override long Length => seekable ? content.Length : throw new NotSupportedException();

        public override long Position
        {
            get => seekable ? _position : throw new NotSupportedException();
            set => Seek(value, SeekOrigin.Begin);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, content.Length - _position);
            Array.Copy(content, _position, buffer, offset, n);
            _position += n;
            BytesRead += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            if (!seekable || origin != SeekOrigin.Begin) throw new NotSupportedException();
            _position = offset;
            return offset;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Not seekable, but random access through <see cref="IContentReader"/> (containerd's io.ReaderAt).</summary>
    private sealed class ReaderAtStream(byte[] content) : CountingStream(content, seekable: false), IContentReader
    {
        public long BytesReadAt { get; private set; }

        public long Size => Content.Length;

        public ValueTask<int> ReadAtAsync(Memory<byte> buffer, long offset, CancellationToken cancellationToken = default)
        {
            var n = (int)Math.Max(0, Math.Min(buffer.Length, Content.Length - offset));
            Content.AsSpan((int)offset, n).CopyTo(buffer.Span);
            BytesReadAt += n;
            return ValueTask.FromResult(n);
        }

        public Stream AsStream() => new MemoryStream(Content, writable: false);
    }
}
