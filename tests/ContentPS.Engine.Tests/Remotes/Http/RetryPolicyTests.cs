using System.Net.Http.Headers;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Http;

namespace ContentPS.Engine.Tests.Remotes.Http;

public sealed class RetryPolicyTests
{
    private static readonly RegistryHost Host = new() { Host = "registry.example", Scheme = "https", RegistryDomain = "registry.example" };
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(200, false)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    [InlineData(501, false)]
    [InlineData(505, false)]
    public void OnlyTransientStatusesAreRetried(int status, bool retried)
    {
        var decision = new RetryPolicy(Options()).ForStatus(Get(), attempt: 1, status, retryAfter: null);

        Assert.Equal(retried, decision.Retry);
        Assert.Equal(retried, decision.Text is not null);
    }

    [Fact]
    public void BackoffDoublesFromTheIntervalWithJitter()
    {
        var policy = new RetryPolicy(Options(interval: TimeSpan.FromSeconds(1)));

        for (int i = 0; i < 50; i++)
        {
            Assert.InRange(policy.Backoff(2).TotalSeconds, 0.8, 1.2);
            Assert.InRange(policy.Backoff(3).TotalSeconds, 1.6, 2.4);
            Assert.InRange(policy.Backoff(5).TotalSeconds, 6.4, 9.6);
        }

        var delays = Enumerable.Range(0, 50).Select(_ => policy.Backoff(2)).Distinct().Count();
        Assert.True(delays > 1, "backoff has no jitter");
    }

    [Fact]
    public void BackoffIsCappedByTheLongestRetryAfter()
    {
        var policy = new RetryPolicy(Options(interval: TimeSpan.FromSeconds(10), maxRetryAfter: TimeSpan.FromSeconds(30)));

        Assert.Equal(TimeSpan.FromSeconds(30), policy.Backoff(10));
    }

    [Fact]
    public void RetryAfterSecondsAndDatesAreHonouredAndCapped()
    {
        var policy = new RetryPolicy(Options(maxRetryAfter: TimeSpan.FromSeconds(60)));

        Assert.Equal(TimeSpan.FromSeconds(5), policy.RetryAfterDelay(new RetryConditionHeaderValue(TimeSpan.FromSeconds(5)), Now));
        Assert.Equal(TimeSpan.FromSeconds(60), policy.RetryAfterDelay(new RetryConditionHeaderValue(TimeSpan.FromHours(2)), Now));
        Assert.Equal(TimeSpan.FromSeconds(42), policy.RetryAfterDelay(new RetryConditionHeaderValue(Now.AddSeconds(42)), Now));
        Assert.Equal(TimeSpan.FromSeconds(60), policy.RetryAfterDelay(new RetryConditionHeaderValue(Now.AddDays(1)), Now));
        Assert.Equal(TimeSpan.Zero, policy.RetryAfterDelay(new RetryConditionHeaderValue(Now.AddSeconds(-30)), Now));
        Assert.Null(policy.RetryAfterDelay(null, Now));
    }

    [Fact]
    public void RetryAfterReplacesTheBackoff()
    {
        var policy = new RetryPolicy(Options());

        var decision = policy.ForStatus(Get(), attempt: 2, 429, new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)));

        Assert.True(decision.Retry);
        Assert.Equal(TimeSpan.FromSeconds(7), decision.Delay);
        Assert.Equal("retrying in 7 s (attempt 3 of 5)", decision.Text);
    }

    [Fact]
    public void TheLastAttemptGivesUp()
    {
        var decision = new RetryPolicy(Options(retries: 2)).ForStatus(Get(), attempt: 3, 503, null);

        Assert.False(decision.Retry);
        Assert.Equal("giving up after 3 attempts", decision.Text);
    }

    [Theory]
    [InlineData("POST", null, false)]
    [InlineData("PATCH", null, false)]
    [InlineData("PUT", null, true)]
    [InlineData("DELETE", null, true)]
    [InlineData("HEAD", null, true)]
    [InlineData("GET", false, false)]
    [InlineData("POST", true, true)]
    public void OnlyIdempotentRequestsAreRetried(string method, bool? idempotent, bool retried)
    {
        var request = new RegistryRequest { Host = Host, Method = new HttpMethod(method), Idempotent = idempotent };
        var policy = new RetryPolicy(Options());

        var afterStatus = policy.ForStatus(request, 1, 503, null);
        var afterFailure = policy.ForTransportFailure(request, 1, retryable: true);

        Assert.Equal(retried, afterStatus.Retry);
        Assert.Equal(retried, afterFailure.Retry);
        if (!retried)
        {
            Assert.Equal("not retrying: not idempotent", afterStatus.Text);
        }
    }

    [Fact]
    public void AnExpectedStatusIsFinal()
    {
        var request = new RegistryRequest { Host = Host, Method = HttpMethod.Get, ExpectedStatuses = [404, 503] };

        Assert.Equal(RetryDecision.Final, new RetryPolicy(Options()).ForStatus(request, 1, 503, null));
    }

    [Fact]
    public void ANonRetryableTransportFailureIsNotRetried()
    {
        var decision = new RetryPolicy(Options()).ForTransportFailure(Get(), 1, retryable: false);

        Assert.False(decision.Retry);
        Assert.Equal("not retrying", decision.Text);
    }

    [Theory]
    [InlineData(0.25, "0.3 s")]
    [InlineData(1, "1 s")]
    [InlineData(2.5, "2.5 s")]
    [InlineData(12.4, "12 s")]
    public void DelaysAreDescribedInSeconds(double seconds, string text) =>
        Assert.Equal(text, RetryPolicy.Describe(TimeSpan.FromSeconds(seconds)));

    private static RegistryRequest Get() => new() { Host = Host, Method = HttpMethod.Get };

    private static RegistryClientOptions Options(TimeSpan? interval = null, TimeSpan? maxRetryAfter = null, int retries = 4) => new()
    {
        RetryInterval = interval ?? TimeSpan.FromSeconds(1),
        MaximumRetryAfter = maxRetryAfter ?? TimeSpan.FromSeconds(60),
        MaximumRetryCount = retries,
    };
}
