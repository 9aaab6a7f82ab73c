using System.Management.Automation;

namespace ContentPS.Tests.Progress;

public sealed class ProgressReporterTests
{
    private readonly FakeTime _time = new();
    private readonly List<ProgressRecord> _written = [];
    private int _lastId;

    private ProgressReporter Start(string activity = "Saving", string status = "starting") =>
        new(activity, status, _written.Add, () => ++_lastId, _time);

    private List<ProgressRecord> For(int activityId) => _written.Where(r => r.ActivityId == activityId).ToList();

    [Fact]
    public void The_first_state_is_written_at_once()
    {
        using ProgressReporter progress = Start("Saving ubuntu", "resolving");

        ProgressRecord record = Assert.Single(_written);
        Assert.Equal(1, record.ActivityId);
        Assert.Equal(-1, record.ParentActivityId);
        Assert.Equal("Saving ubuntu", record.Activity);
        Assert.Equal("resolving", record.StatusDescription);
        Assert.Equal(ProgressRecordType.Processing, record.RecordType);
    }

    [Fact]
    public void Updates_within_the_interval_are_dropped_and_the_newest_is_written_after_it()
    {
        ProgressReporter progress = Start();
        progress.Report("one", 10);
        _time.AdvanceMilliseconds(100);
        progress.Report("two", 20);
        _time.AdvanceMilliseconds(99);
        progress.Report("three", 30);
        Assert.Single(_written);

        _time.AdvanceMilliseconds(1);
        progress.Report("four", 40);

        Assert.Equal(["starting", "four"], _written.Select(r => r.StatusDescription));
        Assert.Equal(40, _written[1].PercentComplete);
    }

    [Fact]
    public void A_burst_of_updates_writes_at_most_five_a_second_per_record()
    {
        ProgressReporter progress = Start();
        ProgressItem blob = progress.StartItem("sha256:abc", "waiting");
        // Ten seconds of updates every 7 ms on both records.
        for (int elapsed = 0; elapsed < 10_000; elapsed += 7)
        {
            progress.Report($"{elapsed} ms");
            blob.ReportBytes(elapsed, 10_000);
            _time.AdvanceMilliseconds(7);
        }

        int parentWrites = For(progress.ActivityId).Count;
        int childWrites = For(blob.ActivityId).Count;
        Assert.InRange(parentWrites, 45, 51);
        Assert.InRange(childWrites, 45, 51);
    }

    [Fact]
    public void A_pending_state_is_written_by_FlushDue_once_its_interval_passed()
    {
        ProgressReporter progress = Start();
        progress.Report("latest", 50);
        progress.FlushDue();
        Assert.Single(_written);

        _time.AdvanceMilliseconds(200);
        progress.FlushDue();

        Assert.Equal(2, _written.Count);
        Assert.Equal("latest", _written[1].StatusDescription);
        Assert.Equal(50, _written[1].PercentComplete);

        // Nothing pending any more: flushing again writes nothing.
        _time.AdvanceMilliseconds(500);
        progress.FlushDue();
        Assert.Equal(2, _written.Count);
    }

    [Fact]
    public void An_update_of_one_record_flushes_another_records_due_state()
    {
        ProgressReporter progress = Start();
        ProgressItem first = progress.StartItem("first", "waiting");
        ProgressItem second = progress.StartItem("second", "waiting");
        first.Report("first: 1 of 2", 50);

        _time.AdvanceMilliseconds(250);
        second.Report("second: 1 of 2", 50);

        Assert.Equal("first: 1 of 2", For(first.ActivityId).Last().StatusDescription);
        Assert.Equal("second: 1 of 2", For(second.ActivityId).Last().StatusDescription);
    }

    [Fact]
    public void Children_name_the_activity_as_parent_and_get_their_own_ids()
    {
        ProgressReporter progress = Start();
        ProgressItem a = progress.StartItem("sha256:aaa", "waiting");
        ProgressItem b = progress.StartItem("sha256:bbb", "waiting");

        Assert.Equal([1, 2, 3], new[] { progress.ActivityId, a.ActivityId, b.ActivityId });
        Assert.All(_written.Skip(1), r => Assert.Equal(progress.ActivityId, r.ParentActivityId));
        Assert.Equal(["sha256:aaa", "sha256:bbb"], _written.Skip(1).Select(r => r.Activity));
    }

    [Fact]
    public void Completing_an_item_writes_its_last_state_as_Completed_even_when_throttled()
    {
        ProgressReporter progress = Start();
        ProgressItem blob = progress.StartItem("sha256:abc", "waiting");
        blob.ReportBytes(512, 2048);
        blob.ReportBytes(2048, 2048);

        blob.Complete();

        ProgressRecord last = _written[^1];
        Assert.Equal(blob.ActivityId, last.ActivityId);
        Assert.Equal(ProgressRecordType.Completed, last.RecordType);
        Assert.Equal("2.0 KB of 2.0 KB", last.StatusDescription);
        Assert.Equal(100, last.PercentComplete);
    }

    [Fact]
    public void Complete_closes_open_children_first_then_the_activity_once()
    {
        ProgressReporter progress = Start();
        ProgressItem done = progress.StartItem("done", "waiting");
        ProgressItem open = progress.StartItem("open", "waiting");
        done.Complete("exists");

        progress.Complete();
        progress.Complete();
        progress.Dispose();
        open.Report("too late");
        done.Complete();

        List<ProgressRecord> completed = _written.Where(r => r.RecordType == ProgressRecordType.Completed).ToList();
        Assert.Equal([done.ActivityId, open.ActivityId, progress.ActivityId], completed.Select(r => r.ActivityId));
        Assert.Equal("exists", completed[0].StatusDescription);
        Assert.Equal(ProgressRecordType.Completed, _written[^1].RecordType);
        Assert.True(progress.IsCompleted);
        Assert.Same(ProgressItem.Disabled, progress.StartItem("after", "x"));
    }

    [Fact]
    public void Percentages_are_clamped_and_empty_texts_replaced()
    {
        ProgressReporter progress = Start("", "");
        _time.AdvanceMilliseconds(200);
        progress.Report("over", 250);
        _time.AdvanceMilliseconds(200);
        progress.Report("", -7);

        Assert.Equal("Processing", _written[0].Activity);
        Assert.Equal("Processing", _written[0].StatusDescription);
        Assert.Equal(100, _written[1].PercentComplete);
        // An empty status keeps the previous one.
        Assert.Equal("over", _written[2].StatusDescription);
        Assert.Equal(-1, _written[2].PercentComplete);
    }

    [Fact]
    public void The_disabled_reporter_writes_nothing_and_hands_out_the_disabled_item()
    {
        ProgressReporter progress = ProgressReporter.Disabled;
        ProgressItem item = progress.StartItem("sha256:abc", "waiting");
        item.ReportBytes(1, 2);
        item.Complete();
        progress.Report("x", 5);
        progress.FlushDue();
        progress.Complete();

        Assert.False(progress.IsEnabled);
        Assert.Same(ProgressItem.Disabled, item);
        Assert.Empty(_written);
    }

    [Fact]
    public void Reports_from_many_threads_leave_one_Completed_record_per_activity()
    {
        ProgressReporter progress = new("Saving", "starting", r => { lock (_written) { _written.Add(r); } }, () => Interlocked.Increment(ref _lastId), _time);
        Parallel.For(0, 64, i =>
        {
            using ProgressItem item = progress.StartItem($"blob {i}", "waiting");
            for (int b = 0; b <= 100; b++)
            {
                item.ReportBytes(b, 100);
                progress.Report($"blob {i}");
                _time.AdvanceMilliseconds(3);
            }
        });
        progress.Complete();

        var completed = _written.Where(r => r.RecordType == ProgressRecordType.Completed).ToList();
        Assert.Equal(65, completed.Count);
        Assert.Equal(65, completed.Select(r => r.ActivityId).Distinct().Count());
        Assert.Equal(progress.ActivityId, completed[^1].ActivityId);
        Assert.All(completed.Where(r => r.ActivityId != progress.ActivityId), r => Assert.Equal(100, r.PercentComplete));
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(43_200_000, "41.2 MB")]
    public void Byte_counts_read_as_human_sizes(long bytes, string expected) =>
        Assert.Equal(expected, ProgressItem.FormatBytes(bytes));
}

public sealed class DisabledProgressCostTests
{
    [Fact]
    public void Hidden_progress_allocates_nothing_however_much_is_reported()
    {
        ProgressReporter progress = ProgressReporter.Disabled;
        const string status = "3 of 7 blobs";
        // Warm up so the measurement sees no first-call JIT allocations.
        Report(progress, status, 10);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Report(progress, status, 100_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static void Report(ProgressReporter progress, string status, int times)
    {
        for (int i = 0; i < times; i++)
        {
            using ProgressItem item = progress.StartItem("sha256:abc", status);
            item.ReportBytes(i, times);
            item.Report(status, 50);
            progress.Report(status, i % 100);
            progress.FlushDue();
        }

        progress.Complete();
    }
}
