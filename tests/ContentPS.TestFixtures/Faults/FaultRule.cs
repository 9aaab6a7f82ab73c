using System.Text.RegularExpressions;

namespace ContentPS.TestFixtures;

/// <summary>
/// One fault of a <see cref="FaultProxy"/>: requests whose method is <see cref="Method"/> (any when
/// null) and whose path and query match the regular expression <see cref="Path"/> get
/// <see cref="Fault"/>, the first <see cref="Times"/> of them only when that is set. Rules are
/// tried in the order they were added; the first one that matches and is not used up applies.
/// Serialized as camelCase JSON for the proxy's control endpoint.
/// </summary>
public sealed record FaultRule
{
    public FaultKind Fault { get; init; }

    /// <summary>HTTP method to match (case-insensitive); null matches any.</summary>
    public string? Method { get; init; }

    /// <summary>A regular expression searched in the request target (<c>/v2/repo/blobs/sha256:…?x=y</c>).</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>Apply to the first <c>Times</c> matching requests only; null: every one.</summary>
    public int? Times { get; init; }

    /// <summary>Wait this long before answering (any fault).</summary>
    public int DelayMilliseconds { get; init; }

    /// <summary><see cref="FaultKind.Status"/>: the status; <see cref="FaultKind.RedirectTo"/>: the redirect status (default 307).</summary>
    public int? StatusCode { get; init; }

    /// <summary><see cref="FaultKind.Status"/>: the Content-Type of <see cref="Body"/>.</summary>
    public string? ContentType { get; init; }

    /// <summary><see cref="FaultKind.Status"/>: the UTF-8 body.</summary>
    public string? Body { get; init; }

    /// <summary><see cref="FaultKind.Status"/> and <see cref="FaultKind.AddHeaders"/>: response headers (a header may repeat by joining values with a newline).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary><see cref="FaultKind.DropAfterBytes"/>: body bytes sent before the connection is closed.</summary>
    public long Bytes { get; init; }

    /// <summary><see cref="FaultKind.Trickle"/>: the body rate.</summary>
    public int BytesPerSecond { get; init; } = 1024;

    /// <summary><see cref="FaultKind.RedirectTo"/>: the base URI the request's path and query are appended to.</summary>
    public Uri? RedirectTo { get; init; }

    public static FaultRule Status(int statusCode, string path = "", string? method = null, int? times = null,
        string? contentType = null, string? body = null, IReadOnlyDictionary<string, string>? headers = null) =>
        new() { Fault = FaultKind.Status, StatusCode = statusCode, Path = path, Method = method, Times = times, ContentType = contentType, Body = body, Headers = headers };

    public static FaultRule DropAfterBytes(long bytes, string path = "", string? method = null, int? times = null) =>
        new() { Fault = FaultKind.DropAfterBytes, Bytes = bytes, Path = path, Method = method, Times = times };

    public static FaultRule Disconnect(string path = "", string? method = null, int? times = null) =>
        new() { Fault = FaultKind.Disconnect, Path = path, Method = method, Times = times };

    public static FaultRule Trickle(int bytesPerSecond, string path = "", string? method = null, int? times = null) =>
        new() { Fault = FaultKind.Trickle, BytesPerSecond = bytesPerSecond, Path = path, Method = method, Times = times };

    public static FaultRule CorruptBody(string path = "", string? method = null, int? times = null) =>
        new() { Fault = FaultKind.CorruptBody, Path = path, Method = method, Times = times };

    public static FaultRule Redirect(Uri to, string path = "", string? method = null, int? times = null, int statusCode = 307) =>
        new() { Fault = FaultKind.RedirectTo, RedirectTo = to, StatusCode = statusCode, Path = path, Method = method, Times = times };

    public static FaultRule IgnoreRange(string path = "", string? method = null, int? times = null) =>
        new() { Fault = FaultKind.IgnoreRange, Path = path, Method = method, Times = times };

    public static FaultRule AddHeaders(IReadOnlyDictionary<string, string> headers, string path = "", string? method = null, int? times = null) =>
        new() { Fault = FaultKind.AddHeaders, Headers = headers, Path = path, Method = method, Times = times };

    public static FaultRule Delay(int milliseconds, string path = "", string? method = null, int? times = null) =>
        new() { Fault = FaultKind.Forward, DelayMilliseconds = milliseconds, Path = path, Method = method, Times = times };

    /// <summary>Throws <see cref="ArgumentException"/> when the rule cannot work (bad regex, missing parameter).</summary>
    public void Validate()
    {
        try
        {
            _ = new Regex(Path);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Fault rule path '{Path}' is not a regular expression: {e.Message}", nameof(Path), e);
        }

        if (Times is < 0) throw new ArgumentException("Fault rule times must not be negative.", nameof(Times));
        if (DelayMilliseconds < 0) throw new ArgumentException("Fault rule delay must not be negative.", nameof(DelayMilliseconds));
        switch (Fault)
        {
            case FaultKind.Status when StatusCode is not (>= 100 and <= 999):
                throw new ArgumentException("A Status fault needs statusCode 100-999.", nameof(StatusCode));
            case FaultKind.RedirectTo when RedirectTo is not { IsAbsoluteUri: true }:
                throw new ArgumentException("A RedirectTo fault needs an absolute redirectTo URI.", nameof(RedirectTo));
            case FaultKind.RedirectTo when StatusCode is { } code && code is < 300 or > 399:
                throw new ArgumentException("A RedirectTo fault's statusCode must be 3xx.", nameof(StatusCode));
            case FaultKind.DropAfterBytes when Bytes < 0:
                throw new ArgumentException("A DropAfterBytes fault needs bytes >= 0.", nameof(Bytes));
            case FaultKind.Trickle when BytesPerSecond <= 0:
                throw new ArgumentException("A Trickle fault needs bytesPerSecond > 0.", nameof(BytesPerSecond));
            case FaultKind.AddHeaders when Headers is null or { Count: 0 }:
                throw new ArgumentException("An AddHeaders fault needs headers.", nameof(Headers));
        }
    }
}
