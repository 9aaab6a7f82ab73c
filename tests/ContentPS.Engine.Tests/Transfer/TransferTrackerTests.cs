using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;

namespace ContentPS.Engine.Tests.Transfer;

public sealed class TransferTrackerTests
{
    private static readonly TimeSpan Never = TimeSpan.FromDays(1);

    private readonly Descriptor _a = Blob("a", 1000);
    private readonly Descriptor _b = Blob("b", 500);
    private readonly Descriptor _c = Blob("c", 300);

    [Fact]
    public void TheSnapshotCountsBlobsByStateAndSumsTheBytes()
    {
        var tracker = new TransferTracker();
        tracker.Waiting(_a);
        tracker.Waiting(_b);
        tracker.Waiting(_c);
        tracker.Resumed(_a, 400);
        tracker.Downloading(_a, 400);
        tracker.Downloading(_a, 700);
        tracker.AlreadyPresent(_b);

        var during = tracker.Snapshot();

        Assert.Equal((1, 1, 0, 1, 0, 1), (during.Waiting, during.Downloading, during.Done, during.AlreadyPresent, during.Failed, during.Resumed));
        Assert.Equal((300L, 400L, 1800L, 1200L), (during.BytesFetched, during.BytesResumedFrom, during.TotalBytes, during.CompletedBytes));
        Assert.Equal(new BlobTransferStatus(_a, BlobTransferState.Downloading, 700, 400), Assert.Single(during.Active));

        tracker.Downloading(_a, 1000);
        tracker.Done(_a);
        tracker.Downloading(_c, 100);
        tracker.Failed(_c, new UnavailableException("gone", ErrorIds.RegistryUnavailable));
        var after = tracker.Snapshot();

        Assert.Equal((0, 0, 1, 1, 1, 3), (after.Waiting, after.Downloading, after.Done, after.AlreadyPresent, after.Failed, after.Blobs));
        Assert.Equal((700L, 1500L), (after.BytesFetched, after.CompletedBytes));
        Assert.Empty(after.Active);
        Assert.IsType<UnavailableException>(tracker.Status(_c.Digest)!.Value.Error);
        Assert.Null(tracker.Status(Blob("unknown", 1).Digest));
    }

    [Fact]
    public void ActiveBlobsAreListedInTheOrderTheyStarted()
    {
        var tracker = new TransferTracker();
        tracker.Downloading(_b, 0);
        tracker.Downloading(_a, 0);
        tracker.Downloading(_c, 0);
        tracker.Done(_a);

        Assert.Equal([_b.Digest, _c.Digest], tracker.Snapshot().Active.Select(s => s.Blob.Digest));
    }

    [Fact]
    public void ABlobSeenAgainKeepsItsStateButAFailedOneWaitsAgain()
    {
        var tracker = new TransferTracker();
        tracker.Downloading(_a, 1000);
        tracker.Done(_a);
        tracker.Failed(_b, new InternalException("500", ErrorIds.Internal));

        tracker.Waiting(_a);
        tracker.Waiting(_b);

        Assert.Equal(BlobTransferState.Done, tracker.Status(_a.Digest)!.Value.State);
        var b = tracker.Status(_b.Digest)!.Value;
        Assert.Equal((BlobTransferState.Waiting, (Exception?)null), (b.State, b.Error));
    }

    [Fact]
    public void ByteProgressIsThrottledPerBlobButStateChangesAndTheLastByteAlwaysCount()
    {
        var tracker = new TransferTracker(progressInterval: Never);
        var events = new List<BlobTransferStatus>();
        tracker.Changed += (_, status) => events.Add(status);

        tracker.Waiting(_a);
        for (long offset = 0; offset <= _a.Size; offset += 100)
        {
            tracker.Downloading(_a, offset);
        }

        tracker.Downloading(_b, 10);
        tracker.Downloading(_b, 20);
        tracker.Done(_a);

        Assert.Equal(
            [(_a.Digest, BlobTransferState.Waiting, 0L), (_a.Digest, BlobTransferState.Downloading, 0L), (_a.Digest, BlobTransferState.Downloading, 1000L),
             (_b.Digest, BlobTransferState.Downloading, 10L), (_a.Digest, BlobTransferState.Done, 1000L)],
            events.Select(e => (e.Blob.Digest, e.State, e.Offset)));
        Assert.Equal(1000 + 20, tracker.Snapshot().BytesFetched);
    }

    [Fact]
    public void WithNoIntervalEveryUpdateIsAnEvent()
    {
        var tracker = new TransferTracker(progressInterval: TimeSpan.Zero);
        var offsets = new List<long>();
        tracker.Changed += (_, status) => offsets.Add(status.Offset);

        foreach (var offset in new long[] { 0, 10, 20, 30 })
        {
            tracker.Downloading(_a, offset);
        }

        Assert.Equal([0L, 10, 20, 30], offsets);
    }

    [Fact]
    public void EveryCallIsPassedOnToTheNextTracker()
    {
        var next = new RecordingTracker();
        var tracker = new TransferTracker(next);

        tracker.Waiting(_a);
        tracker.Resumed(_a, 10);
        tracker.Downloading(_a, 1000);
        tracker.Done(_a);
        tracker.AlreadyPresent(_b);
        tracker.Failed(_c, new NotFoundException("missing", ErrorIds.BlobNotFound));

        Assert.Equal(["Waiting", "Resumed 10", "Downloading 1000", "Done"], next.CallsFor(_a.Digest));
        Assert.Equal(["AlreadyPresent"], next.CallsFor(_b.Digest));
        Assert.Equal([$"Failed {ErrorClass.NotFound}"], next.CallsFor(_c.Digest));
    }

    [Fact]
    public async Task ConcurrentUpdatesAddUp()
    {
        var tracker = new TransferTracker(progressInterval: TimeSpan.Zero);
        long events = 0;
        tracker.Changed += (_, _) => Interlocked.Increment(ref events);
        var blobs = Enumerable.Range(0, 16).Select(i => Blob("blob" + i, 10_000)).ToList();

        await Task.WhenAll(blobs.Select(blob => Task.Run(() =>
        {
            tracker.Waiting(blob);
            for (long offset = 100; offset <= blob.Size; offset += 100)
            {
                tracker.Downloading(blob, offset);
            }

            tracker.Done(blob);
        })));

        var totals = tracker.Snapshot();
        Assert.Equal((16, 16 * 10_000L, 16 * 10_000L), (totals.Done, totals.BytesFetched, totals.TotalBytes));
        Assert.Equal(16 * (1 + 100 + 1), Interlocked.Read(ref events));
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var tracker = new TransferTracker();

        Assert.Throws<ArgumentNullException>(() => tracker.Waiting(null!));
        Assert.Throws<ArgumentNullException>(() => tracker.Failed(_a, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransferTracker(progressInterval: TimeSpan.FromSeconds(-1)));
    }

    private static Descriptor Blob(string content, long size) =>
        new() { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.FromBytes(System.Text.Encoding.UTF8.GetBytes(content)), Size = size };
}
