using ContentPS.Internal;

namespace ContentPS.Tests.Progress;

public sealed class PipelineQueueTests
{
    [Fact]
    public async Task The_tick_runs_on_the_draining_thread_while_work_keeps_arriving()
    {
        using var queue = new PipelineQueue();
        int drainThread = Environment.CurrentManagedThreadId;
        var tickThreads = new List<int>();
        var tickTimes = new List<long>();
        int ticks = 0, posted = 0, worked = 0;

        // Work keeps arriving every few milliseconds until the queue has ticked three times: a tick starved by
        // the stream of work would keep the producer going until the hang guard, and fail the count below.
        Task producer = Task.Run(async () =>
        {
            var guard = System.Diagnostics.Stopwatch.StartNew();
            while (Volatile.Read(ref ticks) < 3 && guard.Elapsed < TimeSpan.FromSeconds(60))
            {
                queue.Post(() => worked++);
                posted++;
                await Task.Delay(5);
            }

            queue.Complete();
        });
        queue.Drain(() =>
        {
            tickThreads.Add(Environment.CurrentManagedThreadId);
            tickTimes.Add(Environment.TickCount64);
            Interlocked.Increment(ref ticks);
        }, tickMilliseconds: 50);
        await producer;

        Assert.Equal(posted, worked);
        Assert.True(ticks >= 3, $"the tick ran {ticks} time(s) while {posted} items of work arrived");
        // Never more often than the tick (the queue measures with the same clock).
        Assert.All(tickTimes.Zip(tickTimes.Skip(1)), pair => Assert.True(pair.Second - pair.First >= 50, $"ticks {pair.Second - pair.First} ms apart"));
        Assert.All(tickThreads, id => Assert.Equal(drainThread, id));
    }

    [Fact]
    public void Without_a_tick_Drain_returns_once_completed_and_empty()
    {
        using var queue = new PipelineQueue();
        int worked = 0;
        Task.Run(() =>
        {
            queue.Post(() => worked++);
            queue.Post(() => worked++);
            queue.Complete();
        });

        queue.Drain();

        Assert.Equal(2, worked);
    }
}
