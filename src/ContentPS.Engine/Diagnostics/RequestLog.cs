using System.Globalization;
using System.Text;

namespace ContentPS.Engine.Diagnostics;

/// <summary>
/// The one format of request lines for <see cref="IEngineLog"/>, so <c>-Verbose</c> reads the
/// same for every request: method, URL without secrets, status, retry decision; <c>-Debug</c>
/// adds the time taken.
/// </summary>
public static class RequestLog
{
    /// <summary>What every URL written to a log replaces a secret with.</summary>
    public const string Redacted = "REDACTED";

    // Query parameters that carry credentials: registry tokens and the signed URLs that
    // registries redirect blob downloads to (S3, GCS, Azure, CloudFront).
    private static readonly HashSet<string> SecretQueryNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "access_token", "refresh_token", "token", "password", "client_secret", "secret", "code",
        "X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token",
        "X-Goog-Signature", "X-Goog-Credential",
        "sig", "Signature", "Key-Pair-Id", "Policy",
    };

    /// <summary>
    /// <paramref name="url"/> safe to show: user name and password dropped, the values of
    /// credential-bearing query parameters replaced by <see cref="Redacted"/>, the rest unchanged.
    /// </summary>
    public static string RedactUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return RedactQuery(url.OriginalString);
        }

        var text = new StringBuilder()
            .Append(url.Scheme).Append("://")
            .Append(url.IsDefaultPort ? url.Host : url.Authority.Substring(url.Authority.IndexOf('@') + 1))
            .Append(url.AbsolutePath);
        if (url.Query.Length > 1)
        {
            text.Append(RedactQuery(url.Query));
        }

        return text.ToString();
    }

    /// <summary>A verbose line: <c>GET https://registry/v2/… 200</c>, plus the retry decision when there is one.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="url">The request URL; secrets are removed.</param>
    /// <param name="status">The response status, or null when no response came (then <paramref name="failure"/> says why).</param>
    /// <param name="failure">Why no response came (<c>connection refused</c>), when <paramref name="status"/> is null.</param>
    /// <param name="retry">The retry decision (<c>retrying in 2 s (attempt 2 of 5)</c>, <c>not retrying</c>), or null.</param>
    public static string Format(string method, Uri url, int? status, string? failure = null, string? retry = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        string outcome = status is { } code ? code.ToString(CultureInfo.InvariantCulture) : failure ?? "no response";
        string line = $"{method.ToUpperInvariant()} {RedactUrl(url)} {outcome}";
        return string.IsNullOrEmpty(retry) ? line : $"{line}; {retry}";
    }

    /// <summary>
    /// Writes one request to <paramref name="log"/>: the <see cref="Format"/> line as verbose, and the
    /// same line with the time taken as debug. Builds nothing when neither stream is shown.
    /// </summary>
    public static void Request(this IEngineLog log, string method, Uri url, int? status, TimeSpan elapsed,
        string? failure = null, string? retry = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (!log.IsVerboseEnabled && !log.IsDebugEnabled)
        {
            return;
        }

        string line = Format(method, url, status, failure, retry);
        log.Verbose(line);
        if (log.IsDebugEnabled)
        {
            log.Debug(string.Create(CultureInfo.InvariantCulture, $"{line} ({elapsed.TotalMilliseconds:0} ms)"));
        }
    }

    private static string RedactQuery(string text)
    {
        int start = text.IndexOf('?');
        if (start < 0)
        {
            return text;
        }

        string[] pairs = text[(start + 1)..].Split('&');
        for (int i = 0; i < pairs.Length; i++)
        {
            int equals = pairs[i].IndexOf('=');
            string name = Uri.UnescapeDataString(equals < 0 ? pairs[i] : pairs[i][..equals]);
            if (equals >= 0 && SecretQueryNames.Contains(name))
            {
                pairs[i] = pairs[i][..(equals + 1)] + Redacted;
            }
        }

        return text[..(start + 1)] + string.Join('&', pairs);
    }
}
