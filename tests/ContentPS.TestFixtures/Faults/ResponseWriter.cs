using System.Globalization;
using System.Net;
using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>
/// Writes one HTTP/1.1 response to the client: the head, then a body framed by
/// <c>Content-Length</c> when it is known and chunked otherwise.
/// </summary>
internal sealed class ResponseWriter(Stream stream)
{
    private bool _chunked;

    public static bool StatusHasNoBody(int status) => status is (>= 100 and < 200) or 204 or 304;

    public Task WriteContinueAsync(CancellationToken cancellationToken) =>
        stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellationToken).AsTask();

    /// <summary>
    /// Writes the status line and <paramref name="headers"/> (hop-by-hop ones are dropped). With
    /// <paramref name="contentLength"/> null and a body allowed, the body is sent chunked.
    /// </summary>
    public async Task WriteHeadAsync(int status, IEnumerable<KeyValuePair<string, string>> headers, long? contentLength, bool hasBody,
        bool close, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\n");
        foreach (var (name, value) in headers)
        {
            if (!IsFramingHeader(name))
            {
                text.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        _chunked = hasBody && contentLength is null;
        if (contentLength is { } length) text.Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n");
        if (_chunked) text.Append("Transfer-Encoding: chunked\r\n");
        if (close) text.Append("Connection: close\r\n");
        text.Append("\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteBodyAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.Length == 0) return;
        if (_chunked) await stream.WriteAsync(Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        if (_chunked) await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_chunked) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A whole response with a small in-memory body.</summary>
    public async Task WriteCompleteAsync(int status, IEnumerable<KeyValuePair<string, string>> headers, byte[] body, bool headOnly,
        bool close, CancellationToken cancellationToken)
    {
        await WriteHeadAsync(status, headers, body.Length, hasBody: false, close, cancellationToken).ConfigureAwait(false);
        if (!headOnly) await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool IsFramingHeader(string name) =>
        name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase);

    private static string ReasonPhrase(int status)
    {
        using var message = new HttpResponseMessage((HttpStatusCode)status);
        return message.ReasonPhrase ?? "Status";
    }
}
