using System.Globalization;

namespace ContentPS.TestFixtures;

/// <summary>The request line and headers of one HTTP/1.1 request read from a client.</summary>
internal sealed class RequestHead
{
    private RequestHead(string method, string target, string version, List<KeyValuePair<string, string>> headers)
    {
        Method = method;
        Target = target;
        Version = version;
        Headers = headers;
    }

    public string Method { get; }

    public string Target { get; }

    public string Version { get; }

    public List<KeyValuePair<string, string>> Headers { get; }

    public string? this[string name] =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)
            .Aggregate((string?)null, (all, value) => all is null ? value : $"{all}, {value}");

    public bool IsChunked => this["Transfer-Encoding"]?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    public long ContentLength =>
        this["Content-Length"] is { } text ? long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    public bool WantsClose =>
        this["Connection"]?.Contains("close", StringComparison.OrdinalIgnoreCase) == true
        || (Version == "HTTP/1.0" && this["Connection"]?.Contains("keep-alive", StringComparison.OrdinalIgnoreCase) != true);

    public bool ExpectsContinue => this["Expect"]?.Contains("100-continue", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The next request, or null when the client closed the connection between requests.</summary>
    public static async Task<RequestHead?> ReadAsync(ConnectionReader reader, CancellationToken cancellationToken)
    {
        string? line;
        do
        {
            line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null) return null;
        }
        while (line.Length == 0);

        var parts = line.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new IOException($"Not an HTTP/1.x request line: '{line}'.");
        }

        var headers = new List<KeyValuePair<string, string>>();
        while ((line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)) is { Length: > 0 })
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new IOException($"Not a header line: '{line}'.");
            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        if (line is null) throw new IOException("The connection closed inside the request headers.");
        return new RequestHead(parts[0], parts[1], parts[2], headers);
    }
}
