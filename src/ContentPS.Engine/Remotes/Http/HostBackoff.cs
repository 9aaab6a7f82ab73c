using System.Collections.Concurrent;
using System.Diagnostics;

namespace ContentPS.Engine.Remotes.Http;

/// <summary>
/// When a host answered 429/503 with <c>Retry-After</c>, every request of the process to that
/// host waits until then instead of hammering it (parallel transfers share this state).
/// </summary>
internal static class HostBackoff
{
    private static readonly ConcurrentDictionary<string, long> QuietUntil = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Keeps requests to <paramref name="authority"/> away for <paramref name="delay"/> (or longer if already so).</summary>
    public static void Record(string authority, TimeSpan delay)
    {
        long until = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        QuietUntil.AddOrUpdate(authority, until, (_, existing) => Math.Max(existing, until));
    }

    /// <summary>How long requests to <paramref name="authority"/> must still wait.</summary>
    public static TimeSpan Remaining(string authority) =>
        QuietUntil.TryGetValue(authority, out var until) && until > Stopwatch.GetTimestamp()
            ? Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until)
            : TimeSpan.Zero;

    /// <summary>Ends the quiet period of <paramref name="authority"/> (a test's proxy port may be reused by the next test).</summary>
    public static void Forget(string authority) => QuietUntil.TryRemove(authority, out _);

    /// <summary>Waits out the host's backoff, if any; returns the time waited.</summary>
    public static async Task<TimeSpan> WaitAsync(string authority, CancellationToken cancellationToken)
    {
        var remaining = Remaining(authority);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, cancellationToken).ConfigureAwait(false);
        }

        return remaining;
    }
}
