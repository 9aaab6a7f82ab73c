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
        int worked = 0;

        // Work arrives every few milliseconds for ~600 ms: the queue is never idle for a whole tick.
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < 120; i++)
            {
                queue.Post(() => worked++);
                await Task.Delay(5);
            }

            queue.Complete();
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        queue.Drain(() => tickThreads.Add(Environment.CurrentManagedThreadId), tickMilliseconds: 50);
        long elapsed = clock.ElapsedMilliseconds;
        await producer;

        Assert.Equal(120, worked);
        // Never more often than the tick, and not starved by the steady stream of work.
        Assert.InRange(tickThreads.Count, Math.Max(3, elapsed / 50 / 2), elapsed / 50 + 1);
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
