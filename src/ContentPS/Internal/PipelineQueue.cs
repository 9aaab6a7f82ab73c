using System.Collections.Concurrent;

namespace ContentPS.Internal;

/// <summary>
/// Work that must run on the pipeline thread, posted from engine threads and drained by the
/// pipeline thread until the engine task completes. PowerShell only accepts Write* and
/// ShouldProcess calls from the thread that called BeginProcessing/ProcessRecord/EndProcessing.
/// </summary>
internal sealed class PipelineQueue : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly int _pipelineThreadId = Environment.CurrentManagedThreadId;

    /// <summary>True when the caller is the pipeline thread that owns this queue.</summary>
    public bool IsPipelineThread => Environment.CurrentManagedThreadId == _pipelineThreadId;

    /// <summary>Runs <paramref name="action"/> on the pipeline thread (inline when already there).</summary>
    public void Post(Action action)
    {
        if (IsPipelineThread)
        {
            action();
            return;
        }

        try
        {
            _work.Add(action);
        }
        catch (InvalidOperationException)
        {
            // The step has ended (or the pipeline thread gave up after a failure): nobody will
            // run this any more, so the engine thread must stop too.
            throw new OperationCanceledException("The pipeline is no longer accepting output.");
        }
    }

    /// <summary>
    /// Runs <paramref name="function"/> on the pipeline thread and waits for its result. The wait
    /// ends early when <paramref name="cancellationToken"/> is canceled.
    /// </summary>
    public T Invoke<T>(Func<T> function, CancellationToken cancellationToken)
    {
        if (IsPipelineThread)
        {
            return function();
        }

        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try
            {
                result.SetResult(function());
            }
            catch (Exception exception)
            {
                result.SetException(exception);
                throw;
            }
        });
        return result.Task.WaitAsync(cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>No more work will be accepted; <see cref="Drain"/> returns once the queue is empty.</summary>
    public void Complete() => _work.CompleteAdding();

    /// <summary>
    /// Runs posted work on the calling (pipeline) thread until <see cref="Complete"/>. When
    /// <paramref name="onTick"/> is given it also runs on this thread every
    /// <paramref name="tickMilliseconds"/>, busy or idle (progress that became due is written then).
    /// </summary>
    public void Drain(Action? onTick = null, int tickMilliseconds = Timeout.Infinite)
    {
        if (onTick is null || tickMilliseconds == Timeout.Infinite)
        {
            foreach (Action work in _work.GetConsumingEnumerable())
            {
                work();
            }

            return;
        }

        long nextTick = Environment.TickCount64 + tickMilliseconds;
        while (true)
        {
            int wait = (int)Math.Clamp(nextTick - Environment.TickCount64, 0, tickMilliseconds);
            if (_work.TryTake(out Action? action, wait))
            {
                action();
            }
            else if (_work.IsCompleted)
            {
                return;
            }

            if (Environment.TickCount64 >= nextTick)
            {
                onTick();
                nextTick = Environment.TickCount64 + tickMilliseconds;
            }
        }
    }

    public void Dispose() => _work.Dispose();
}
