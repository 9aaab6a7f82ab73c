namespace ContentPS.Engine.Remotes.Auth;

/// <summary>
/// Tokens per <see cref="TokenKey"/> until they are due for renewal. One fetch per key at a time:
/// parallel callers that need the same token wait for the same fetch. A failed fetch is not
/// cached; the next caller tries again.
/// </summary>
internal sealed class TokenCache
{
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<TokenKey, Task<BearerToken>> _tokens = [];

    public TokenCache(TimeProvider time) => _time = time;

    /// <summary>The cached token of <paramref name="key"/> when it is fresh; null when there is none or it is due.</summary>
    public BearerToken? Peek(TokenKey key)
    {
        lock (_gate)
        {
            return _tokens.TryGetValue(key, out var task) && task.IsCompletedSuccessfully && task.Result.IsFresh(_time.GetUtcNow())
                ? task.Result
                : null;
        }
    }

    /// <summary>
    /// The fresh token of <paramref name="key"/>, fetching it with <paramref name="fetch"/> when there is
    /// none. The fetch runs on its own (<paramref name="cancellationToken"/> stops only this caller's
    /// wait), so one caller giving up does not fail the others.
    /// </summary>
    public Task<BearerToken> GetAsync(TokenKey key, Func<Task<BearerToken>> fetch, CancellationToken cancellationToken)
    {
        Task<BearerToken> task;
        lock (_gate)
        {
            if (!_tokens.TryGetValue(key, out task!) || (task.IsCompleted && !(task.IsCompletedSuccessfully && task.Result.IsFresh(_time.GetUtcNow()))))
            {
                task = Task.Run(fetch, CancellationToken.None);
                _tokens[key] = task;
                _ = task.ContinueWith(t => Forget(key, t), CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
            }
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Drops the token of <paramref name="key"/> if it is still <paramref name="refused"/> (the registry refused it).</summary>
    public void Invalidate(TokenKey key, string refused)
    {
        lock (_gate)
        {
            if (_tokens.TryGetValue(key, out var task) && task.IsCompletedSuccessfully && task.Result.Value == refused)
            {
                _tokens.Remove(key);
            }
        }
    }

    private void Forget(TokenKey key, Task<BearerToken> failed)
    {
        lock (_gate)
        {
            if (_tokens.TryGetValue(key, out var current) && ReferenceEquals(current, failed))
            {
                _tokens.Remove(key);
            }
        }
    }
}
