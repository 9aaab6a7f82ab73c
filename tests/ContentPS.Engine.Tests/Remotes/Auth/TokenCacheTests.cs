using System.Text;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Auth;

namespace ContentPS.Engine.Tests.Remotes.Auth;

public sealed class TokenCacheTests
{
    private static readonly TokenKey Key = TokenKey.For(new Uri("https://auth.example/token"), "svc", AuthScope.Pull("a/b"));
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ParallelCallersShareOneFetch()
    {
        var cache = new TokenCache(_clock);
        var release = new TaskCompletionSource<BearerToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        int fetches = 0;

        var waiters = Enumerable.Range(0, 8).Select(_ => cache.GetAsync(Key, () => { Interlocked.Increment(ref fetches); return release.Task; }, default)).ToList();
        release.SetResult(Token("t1", 300));
        var tokens = await Task.WhenAll(waiters);

        Assert.Equal(1, fetches);
        Assert.All(tokens, t => Assert.Equal("t1", t.Value));
        Assert.Equal("t1", cache.Peek(Key)?.Value);
    }

    [Fact]
    public async Task AFailedFetchIsNotCached()
    {
        var cache = new TokenCache(_clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(Key, () => throw new InvalidOperationException("down"), default));
        var token = await cache.GetAsync(Key, () => Task.FromResult(Token("t2", 300)), default);

        Assert.Equal("t2", token.Value);
    }

    [Fact]
    public async Task OneCallerGivingUpDoesNotFailTheOthers()
    {
        var cache = new TokenCache(_clock);
        var release = new TaskCompletionSource<BearerToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();

        var impatient = cache.GetAsync(Key, () => release.Task, cancel.Token);
        var patient = cache.GetAsync(Key, () => throw new InvalidOperationException("a second fetch"), default);
        await cancel.CancelAsync();
        release.SetResult(Token("t3", 300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        Assert.Equal("t3", (await patient).Value);
    }

    [Fact]
    public async Task ADueTokenIsFetchedAgainAndAnInvalidatedOneToo()
    {
        var cache = new TokenCache(_clock);
        int fetches = 0;
        Task<BearerToken> Fetch() => Task.FromResult(Token($"t{Interlocked.Increment(ref fetches)}", 100));

        Assert.Equal("t1", (await cache.GetAsync(Key, Fetch, default)).Value);
        _clock.Advance(TimeSpan.FromSeconds(89));
        Assert.Equal("t1", (await cache.GetAsync(Key, Fetch, default)).Value);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(cache.Peek(Key));
        Assert.Equal("t2", (await cache.GetAsync(Key, Fetch, default)).Value);

        cache.Invalidate(Key, "not-the-cached-one");
        Assert.Equal("t2", cache.Peek(Key)?.Value);
        cache.Invalidate(Key, "t2");
        Assert.Null(cache.Peek(Key));
        Assert.Equal("t3", (await cache.GetAsync(Key, Fetch, default)).Value);
    }

    [Fact]
    public async Task OtherScopesHaveTheirOwnTokens()
    {
        var cache = new TokenCache(_clock);
        var push = TokenKey.For(new Uri("https://auth.example/token"), "svc", AuthScope.Push("a/b"));

        await cache.GetAsync(Key, () => Task.FromResult(Token("pull", 300)), default);
        await cache.GetAsync(push, () => Task.FromResult(Token("push", 300)), default);

        Assert.Equal(("pull", "push"), (cache.Peek(Key)?.Value, cache.Peek(push)?.Value));
    }

    private BearerToken Token(string value, int expiresIn) =>
        BearerToken.Parse(Encoding.UTF8.GetBytes($"{{\"token\":\"{value}\",\"expires_in\":{expiresIn}}}"), _clock.GetUtcNow())!;
}
