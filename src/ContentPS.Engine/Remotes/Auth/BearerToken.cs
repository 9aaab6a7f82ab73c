using System.Globalization;
using System.Text.Json;

namespace ContentPS.Engine.Remotes.Auth;

/// <summary>A token from a token endpoint and when to stop using it. <see cref="ToString"/> never shows the token.</summary>
internal sealed class BearerToken
{
    /// <summary>The lifetime of a token whose answer names none (Docker's token spec).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    // Renew this much before the end, so a token never expires between the check and its use.
    private static readonly TimeSpan MaximumRenewMargin = TimeSpan.FromSeconds(10);

    private BearerToken(string value, string? refreshToken, DateTimeOffset expiresAt, DateTimeOffset renewAt)
    {
        Value = value;
        RefreshToken = refreshToken;
        ExpiresAt = expiresAt;
        RenewAt = renewAt;
    }

    public string Value { get; }

    /// <summary>The refresh token the server gave with it, if any.</summary>
    public string? RefreshToken { get; }

    public DateTimeOffset ExpiresAt { get; }

    /// <summary>From this moment the cache fetches a new token instead (a little before <see cref="ExpiresAt"/>).</summary>
    public DateTimeOffset RenewAt { get; }

    public bool IsFresh(DateTimeOffset now) => now < RenewAt;

    /// <summary>
    /// Reads a token answer: <c>token</c> or <c>access_token</c>, <c>expires_in</c> (default 60 s),
    /// <c>issued_at</c>, <c>refresh_token</c>. The lifetime counts from <c>issued_at</c> only when that
    /// lies shortly before <paramref name="receivedAt"/>; a skewed server clock counts from receipt.
    /// Returns null when the answer is not JSON or holds no token.
    /// </summary>
    public static BearerToken? Parse(ReadOnlySpan<byte> json, DateTimeOffset receivedAt)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var value = NonEmptyString(root, "token") ?? NonEmptyString(root, "access_token");
            if (value is null)
            {
                return null;
            }

            var lifetime = root.TryGetProperty("expires_in", out var expiresIn) && expiresIn.ValueKind == JsonValueKind.Number
                && expiresIn.TryGetInt64(out var seconds) && seconds > 0
                    ? TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(365).TotalSeconds))
                    : DefaultLifetime;
            var start = receivedAt;
            if (NonEmptyString(root, "issued_at") is { } issuedText
                && DateTimeOffset.TryParse(issuedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var issuedAt)
                && issuedAt <= receivedAt && receivedAt - issuedAt < lifetime)
            {
                start = issuedAt;
            }

            var expiresAt = start + lifetime;
            var margin = TimeSpan.FromTicks(Math.Min(MaximumRenewMargin.Ticks, lifetime.Ticks / 10));
            return new BearerToken(value, NonEmptyString(root, "refresh_token"), expiresAt, expiresAt - margin);
        }
    }

    public override string ToString() => $"<bearer token, expires {ExpiresAt:u}>";

    private static string? NonEmptyString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } text
            ? text
            : null;
}
