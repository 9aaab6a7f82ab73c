using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Content.Store;

public sealed class ContentHelpersTests : StoreTestBase
{
    [Fact]
    public async Task OpenWriterWaitsForTheLockHolderThenOpens()
    {
        var holder = await Store.OpenWriterAsync("r");
        await holder.WriteAsync(new byte[] { 1, 2, 3 });
        var waiting = ContentHelpers.OpenWriterAsync(OpenStore(), "r");
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);

        await holder.DisposeAsync();
        await using var writer = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(writer);
        Assert.Equal(3, writer.Status().Offset);
    }

    [Fact]
    public async Task OpenWriterReturnsNullWhenTheContentAppearsWhileWaiting()
    {
        var (content, digest) = CreateContent(500);
        var holder = await Store.OpenWriterAsync("r", 500, digest);
        var waiting = ContentHelpers.OpenWriterAsync(OpenStore(), "r", 500, digest);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);

        await holder.WriteAsync(content);
        await holder.CommitAsync(500, digest);
        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        await holder.DisposeAsync();

        // And at once when the content is there to begin with.
        Assert.Null(await ContentHelpers.OpenWriterAsync(Store, "other", DescriptorOf(content, digest)));
    }

    [Fact]
    public async Task OpenWriterAnswersPresentContentWithoutThrowing()
    {
        // A pull of an image that is there opens a writer per blob: an exception each cost more than the rest.
        var (content, digest) = CreateContent(100);
        await ContentHelpers.WriteBlobAsync(Store, "r", new MemoryStream(content), DescriptorOf(content, digest));
        var thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception.Message.Contains(digest.ToString(), StringComparison.Ordinal)) Interlocked.Increment(ref thrown);
        }
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            Assert.Null(await ContentHelpers.OpenWriterAsync(Store, "again", DescriptorOf(content, digest)));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }
        Assert.Equal(0, thrown);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RacingWritersOfTheSameContentOpenOneWriterEach(bool lockFilePerIngest)
    {
        // A writer that saw no blob, then took the lock just after its holder committed, used to open a
        // second writer and download again. Many small blobs and four stores race for each ref here.
        const int Blobs = 500;
        const int Racers = 4;
        var contents = Enumerable.Range(0, Blobs).Select(_ => CreateContent(64)).ToArray();
        var opened = new int[Blobs];
        var stores = Enumerable.Range(0, Racers).Select(_ => OpenStore(lockFilePerIngest)).ToArray();
        await Task.WhenAll(stores.Select(store => Task.Run(async () =>
        {
            for (var i = 0; i < Blobs; i++)
            {
                var (content, digest) = contents[i];
                var writer = await ContentHelpers.OpenWriterAsync(store, $"layer-{digest}", DescriptorOf(content, digest));
                if (writer is null) continue;
                await using (writer)
                {
                    Interlocked.Increment(ref opened[i]);
                    await writer.WriteAsync(content);
                    await writer.CommitAsync(content.Length, digest);
                }
            }
        })));

        Assert.All(opened, count => Assert.Equal(1, count));
        Assert.Equal("", string.Join(", ", Directory.EnumerateFileSystemEntries(Path.Combine(Root, "ingest"), "*", SearchOption.AllDirectories)));
    }

    [Fact]
    public async Task OpenWriterGivesUpWithTheLockErrorWhenCancelled()
    {
        await using var holder = await Store.OpenWriterAsync("r");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTimeOffset.UtcNow;
        var ex = await Assert.ThrowsAsync<UnavailableException>(() => ContentHelpers.OpenWriterAsync(Store, "r", cancellationToken: cancel.Token));
        Assert.Equal(ErrorIds.IngestLocked, ex.ErrorId);
        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task OpenWriterDoesNotRetryOtherErrors()
    {
        await Assert.ThrowsAsync<InvalidArgumentException>(() => ContentHelpers.OpenWriterAsync(Store, ""));
        // AlreadyExists without an expected digest cannot mean "the content is there": it is not swallowed either.
        var failing = new FailingIngester(new AlreadyExistsException("x"));
        await Assert.ThrowsAsync<AlreadyExistsException>(() => ContentHelpers.OpenWriterAsync(failing, "r"));
        Assert.Equal(1, failing.Calls);
    }

    [Fact]
    public async Task WriteBlobCommitsAndReportsExistingContentWithoutReadingTheSource()
    {
        var (content, digest) = CreateContent(1000);
        Assert.True(await ContentHelpers.WriteBlobAsync(Store, "r", new MemoryStream(content), DescriptorOf(content, digest), new Dictionary<string, string> { ["k"] = "v" }));
        Assert.Equal("v", (await Store.InfoAsync(digest)).Labels["k"]);

        Assert.False(await ContentHelpers.WriteBlobAsync(Store, "r2", new UnreadableStream(), DescriptorOf(content, digest)));
        Assert.Empty(await Store.ListStatusesAsync());
    }

    [Fact]
    public async Task WriteBlobWithTheWrongContentFailsAndLeavesNothing()
    {
        var (content, digest) = CreateContent(1000);
        var (other, _) = CreateContent(1000);
        var ex = await Assert.ThrowsAsync<FailedPreconditionException>(
            () => ContentHelpers.WriteBlobAsync(Store, "r", new MemoryStream(other), DescriptorOf(content, digest)));
        Assert.Equal(ErrorIds.DigestMismatch, ex.ErrorId);
        Assert.Empty(await Store.ListStatusesAsync());
        await Assert.ThrowsAsync<NotFoundException>(() => Store.InfoAsync(digest));
    }

    [Fact]
    public async Task CopyFromASourceThatEndsEarlyKeepsTheIngestForAResume()
    {
        var (content, digest) = CreateContent(1000);
        await using (var writer = await Store.OpenWriterAsync("r", 1000, digest))
        {
            var ex = await Assert.ThrowsAsync<FailedPreconditionException>(
                () => ContentHelpers.CopyAsync(writer, new MemoryStream(content, 0, 600), 1000, digest));
            Assert.Contains("ended after 600 of 1000 bytes", ex.Message, StringComparison.Ordinal);
        }
        Assert.Equal(600, (await Store.StatusAsync("r")).Offset);

        await using var resumed = await Store.OpenWriterAsync("r", 1000, digest);
        Assert.True(await ContentHelpers.CopyAsync(resumed, new MemoryStream(content), 1000, digest));
        Assert.Equal(1000, (await Store.InfoAsync(digest)).Size);
    }

    [Fact]
    public async Task CopyReaderAtCopiesFromTheWriterOffsetWithoutCommitting()
    {
        var (content, digest) = CreateContent(3000);
        await ContentHelpers.WriteBlobAsync(Store, "src", new MemoryStream(content), DescriptorOf(content, digest));
        await using var reader = await Store.OpenReaderAsync(digest);

        await using var writer = await Store.OpenWriterAsync("copy");
        await writer.WriteAsync(content.AsMemory(0, 1000));
        await ContentHelpers.CopyReaderAtAsync(writer, reader, 1500);
        Assert.Equal(2500, writer.Status().Offset);
        Assert.Equal(Digest.FromBytes(content.AsSpan(0, 2500)), writer.Digest);
        var ex = await Assert.ThrowsAsync<FailedPreconditionException>(() => ContentHelpers.CopyReaderAtAsync(writer, reader, 501));
        Assert.Equal(ErrorIds.SizeMismatch, ex.ErrorId);
        Assert.Equal(3000, writer.Status().Offset);
        Assert.Equal(digest, writer.Digest);
    }

    private sealed class UnreadableStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("the source was read");

        public override int Read(Span<byte> buffer) => throw new InvalidOperationException("the source was read");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the source was read");
    }

    private sealed class FailingIngester(Exception error) : IContentIngester
    {
        public int Calls { get; private set; }

        public Task<IContentWriter> OpenWriterAsync(string reference, long expectedSize = 0, Digest? expectedDigest = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromException<IContentWriter>(error);
        }
    }
}
