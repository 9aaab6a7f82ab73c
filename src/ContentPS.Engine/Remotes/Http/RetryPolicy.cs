using System.Globalization;
using System.Net.Http.Headers;

namespace ContentPS.Engine.Remotes.Http;

/// <summary>
/// Which failures are retried and after how long: 408, 429, 500, 502, 503, 504 and transport
/// errors, for idempotent requests only, at most <see cref="RegistryClientOptions.MaximumRetryCount"/>
/// times; the delay doubles from <see cref="RegistryClientOptions.RetryInterval"/> with jitter, or is
/// the response's <c>Retry-After</c> (seconds or an HTTP date), never more than
/// <see cref="RegistryClientOptions.MaximumRetryAfter"/>.
/// </summary>
internal sealed class RetryPolicy(RegistryClientOptions options)
{
    public static bool IsRetryableStatus(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    public int MaximumAttempts => 1 + Math.Max(0, options.MaximumRetryCount);

    /// <summary>The decision after attempt <paramref name="attempt"/> (1-based) ended in <paramref name="status"/>.</summary>
    public RetryDecision ForStatus(RegistryRequest request, int attempt, int status, RetryConditionHeaderValue? retryAfter)
    {
        if (!IsRetryableStatus(status) || request.ExpectedStatuses.Contains(status))
        {
            return RetryDecision.Final;
        }

        return Decide(request, attempt, RetryAfterDelay(retryAfter, DateTimeOffset.UtcNow));
    }

    /// <summary>The decision after attempt <paramref name="attempt"/> failed without a response.</summary>
    public RetryDecision ForTransportFailure(RegistryRequest request, int attempt, bool retryable) =>
        retryable ? Decide(request, attempt, retryAfter: null) : new RetryDecision(false, TimeSpan.Zero, "not retrying");

    /// <summary>
    /// The wait a <c>Retry-After</c> asks for, capped at <see cref="RegistryClientOptions.MaximumRetryAfter"/>;
    /// null when there is none. A date in the past means no wait.
    /// </summary>
    public TimeSpan? RetryAfterDelay(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        TimeSpan? wanted = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => null,
        };
        if (wanted is not { } value)
        {
            return null;
        }

        if (value < TimeSpan.Zero) value = TimeSpan.Zero;
        return value > options.MaximumRetryAfter ? options.MaximumRetryAfter : value;
    }

    /// <summary>The backoff before attempt <paramref name="nextAttempt"/>: RetryInterval × 2^(n−2), ±20 % jitter, capped.</summary>
    public TimeSpan Backoff(int nextAttempt)
    {
        double seconds = options.RetryInterval.TotalSeconds * Math.Pow(2, Math.Max(0, nextAttempt - 2));
        seconds *= 0.8 + (0.4 * Random.Shared.NextDouble());
        var cap = options.MaximumRetryAfter > options.RetryInterval ? options.MaximumRetryAfter : options.RetryInterval;
        return TimeSpan.FromSeconds(Math.Min(seconds, cap.TotalSeconds));
    }

    public static string Describe(TimeSpan delay) =>
        delay.TotalSeconds.ToString(delay.TotalSeconds >= 10 ? "0" : "0.#", CultureInfo.InvariantCulture) + " s";

    private RetryDecision Decide(RegistryRequest request, int attempt, TimeSpan? retryAfter)
    {
        if (!request.IsIdempotent)
        {
            return new RetryDecision(false, TimeSpan.Zero, "not retrying: not idempotent");
        }

        if (attempt >= MaximumAttempts)
        {
            return new RetryDecision(false, TimeSpan.Zero, attempt == 1 ? "not retrying: retries are off" : $"giving up after {attempt} attempts");
        }

        var delay = retryAfter ?? Backoff(attempt + 1);
        return new RetryDecision(true, delay, $"retrying in {Describe(delay)} (attempt {attempt + 1} of {MaximumAttempts})");
    }
}
