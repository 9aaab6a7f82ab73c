using System.Globalization;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Content;

/// <summary>The IngestLocked error: which ref, and, when known, for how long, since when and by which process.</summary>
internal static class IngestLockedError
{
    public static UnavailableException For(string reference, (DateTimeOffset Since, int ProcessId)? holder)
    {
        var detail = "";
        if (holder is { } h)
        {
            var held = DateTimeOffset.UtcNow - h.Since;
            if (held < TimeSpan.Zero) held = TimeSpan.Zero;
            detail = string.Create(CultureInfo.InvariantCulture,
                $" for {FormatDuration(held)} (since {h.Since.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}{(h.ProcessId > 0 ? $", by process {h.ProcessId}" : "")})");
        }
        return new UnavailableException($"ref {reference} locked{detail}: another writer is using it", ErrorIds.IngestLocked)
        {
            Target = reference,
        };
    }

    private static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds < 60
            ? duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
            : duration.TotalHours < 1
                ? $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s"
                : $"{(int)duration.TotalHours}h{duration.Minutes:00}m";
}
