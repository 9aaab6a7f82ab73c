using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Handlers;

public static partial class ImageHandlers
{
    /// <summary>
    /// Visits <paramref name="roots"/> and their descendants, siblings in parallel (containerd's
    /// <c>images.Dispatch</c>). At most <paramref name="maxConcurrency"/> handler executions run at
    /// once (0 or less: unbounded); each digest is handled once per dispatch. See
    /// <see cref="DispatchAsync(ImageHandler, IEnumerable{ImageNode}, DispatchOptions?, CancellationToken)"/>.
    /// </summary>
    public static Task DispatchAsync(ImageHandler handler, IEnumerable<Descriptor> roots, int maxConcurrency, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roots);
        return DispatchAsync(handler, roots.Select(root => new ImageNode(root)), new DispatchOptions { MaxConcurrency = maxConcurrency }, cancellationToken);
    }

    /// <summary>
    /// Visits <paramref name="roots"/> and their descendants, siblings in parallel. A Skip result
    /// prunes a subtree. The limiter bounds handler executions, not subtrees, so a deep tree cannot
    /// deadlock even with one slot. The first error cancels every other handler (through the token
    /// they were given) and is thrown as is once all of them have finished; errors that follow it are
    /// dropped, as is anything thrown after cancellation. Cancellation by <paramref name="cancellationToken"/> throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task DispatchAsync(ImageHandler handler, IEnumerable<ImageNode> roots, DispatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(roots);
        var nodes = roots.ToList();
        using var run = new DispatchRun(handler, options ?? new DispatchOptions(), cancellationToken);
        await run.VisitAllAsync(nodes, 0).ConfigureAwait(false);
        run.ThrowIfFailed();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private sealed class DispatchRun : IDisposable
    {
        private readonly ImageHandler _handler;
        private readonly SemaphoreSlim? _limiter;
        private readonly ConcurrentDictionary<Digest, byte>? _seen;
        private readonly CancellationTokenSource _cancellation;
        private ExceptionDispatchInfo? _firstError;

        public DispatchRun(ImageHandler handler, DispatchOptions options, CancellationToken cancellationToken)
        {
            _handler = handler;
            _limiter = options.MaxConcurrency > 0 ? new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency) : null;
            _seen = options.HandleEachDigestOnce ? new ConcurrentDictionary<Digest, byte>() : null;
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        public Task VisitAllAsync(IReadOnlyList<ImageNode> nodes, int level) => nodes.Count switch
        {
            0 => Task.CompletedTask,
            1 => VisitAsync(nodes[0], level),
            // Task.Run so that a handler doing synchronous work before its first await does not hold up its siblings.
            _ => Task.WhenAll(nodes.Select(node => Task.Run(() => VisitAsync(node, level)))),
        };

        public void ThrowIfFailed() => _firstError?.Throw();

        public void Dispose()
        {
            _cancellation.Dispose();
            _limiter?.Dispose();
        }

        /// <summary>Never throws: failures are recorded and cancel the rest.</summary>
        private async Task VisitAsync(ImageNode node, int level)
        {
            var token = _cancellation.Token;
            try
            {
                token.ThrowIfCancellationRequested();
                await YieldIfDeepAsync(level).ConfigureAwait(false);
                if (_seen is not null && !_seen.TryAdd(node.Descriptor.Digest, 0))
                {
                    return;
                }

                HandlerResult result;
                if (_limiter is not null)
                {
                    await _limiter.WaitAsync(token).ConfigureAwait(false);
                }
                try
                {
                    result = await _handler(node, token).ConfigureAwait(false);
                }
                finally
                {
                    _limiter?.Release();
                }

                if (result.Signal == HandlerSignal.Skip)
                {
                    return;
                }
                var children = ChildrenOf(result);
                if (children.Count > 0)
                {
                    await VisitAllAsync(children.Select((child, position) => node.ChildAt(child, position)).ToList(), level + 1).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                Record(ex);
            }
        }

        private void Record(Exception exception)
        {
            // Once the run is canceled (by the caller or by a first error), what handlers throw is its echo, not news.
            if (_cancellation.IsCancellationRequested)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _firstError, ExceptionDispatchInfo.Capture(exception), null) is null)
            {
                try
                {
                    _cancellation.Cancel();
                }
                catch (AggregateException)
                {
                    // A callback registered by a handler failed; the first error is what matters.
                }
            }
        }
    }
}
