using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>Answers one logged request: by the rule that matches it, or by forwarding it to the registry.</summary>
internal sealed class UpstreamForwarder(FaultProxy proxy, RequestHead head, RequestBodyStream? body, ResponseWriter writer, string? clientCertificate)
{
    // Headers that belong to one connection, not to the request; HttpClient sets Host and framing itself.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "TE", "Upgrade", "Expect", "Host", "Content-Length",
    };

    private static readonly HashSet<string> RangeHeaders = new(StringComparer.OrdinalIgnoreCase) { "Range", "If-Range" };

    private FaultRequest _entry = null!;

    public async Task<ConnectionOutcome> ForwardAsync(CancellationToken cancellationToken)
    {
        var match = proxy.Rules.Take(head.Method, head.Target);
        var rule = match?.Rule;
        _entry = proxy.Log(head, clientCertificate, match?.Id, rule?.Fault);
        if (rule is { DelayMilliseconds: > 0 }) await Task.Delay(rule.DelayMilliseconds, cancellationToken).ConfigureAwait(false);

        switch (rule?.Fault)
        {
            case FaultKind.Disconnect:
                return ConnectionOutcome.Reset;
            case FaultKind.Status:
                return await AnswerAsync(rule.StatusCode!.Value, HeadersOf(rule), Encoding.UTF8.GetBytes(rule.Body ?? string.Empty),
                    rule.ContentType, cancellationToken).ConfigureAwait(false);
            case FaultKind.RedirectTo:
                return await AnswerAsync(rule.StatusCode ?? 307, [new("Location", RedirectLocation(rule.RedirectTo!))], [], null, cancellationToken)
                    .ConfigureAwait(false);
            default:
                return await RelayAsync(rule, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ConnectionOutcome> AnswerAsync(int status, IEnumerable<KeyValuePair<string, string>> headers, byte[] content, string? contentType,
        CancellationToken cancellationToken)
    {
        if (body is not null) await body.DrainAsync(cancellationToken).ConfigureAwait(false);
        var all = headers.ToList();
        if (contentType is not null) all.Add(new("Content-Type", contentType));
        _entry.Status = status;
        await writer.WriteCompleteAsync(status, all, content, IsHead, close: false, cancellationToken).ConfigureAwait(false);
        return ConnectionOutcome.KeepOpen;
    }

    private async Task<ConnectionOutcome> RelayAsync(FaultRule? rule, CancellationToken cancellationToken)
    {
        using var request = CreateUpstreamRequest(stripRange: rule?.Fault == FaultKind.IgnoreRange);
        HttpResponseMessage response;
        try
        {
            response = await proxy.Upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return await AnswerAsync(502, [], Encoding.UTF8.GetBytes($"fault proxy: upstream failed: {e.Message}"), "text/plain", cancellationToken)
                .ConfigureAwait(false);
        }

        using (response)
        {
            int status = (int)response.StatusCode;
            bool hasBody = !IsHead && !ResponseWriter.StatusHasNoBody(status);
            var headers = response.Headers.Concat(response.Content.Headers)
                .Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value)))
                .Concat(rule?.Fault == FaultKind.AddHeaders ? HeadersOf(rule) : []);
            bool dropping = rule?.Fault == FaultKind.DropAfterBytes;
            _entry.Status = status;
            await writer.WriteHeadAsync(status, headers, response.Content.Headers.ContentLength, hasBody, close: dropping, cancellationToken)
                .ConfigureAwait(false);
            if (hasBody)
            {
                await using var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                if (!await CopyBodyAsync(source, rule, cancellationToken).ConfigureAwait(false)) return ConnectionOutcome.Close;
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return dropping ? ConnectionOutcome.Close : ConnectionOutcome.KeepOpen;
        }
    }

    /// <summary>Copies the body applying the rule's fault; false when the connection was cut on purpose.</summary>
    private async Task<bool> CopyBodyAsync(Stream source, FaultRule? rule, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        long sent = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var chunk = buffer.AsMemory(0, read);
            switch (rule?.Fault)
            {
                case FaultKind.CorruptBody when sent == 0:
                    chunk.Span[0] ^= 0xFF;
                    break;
                case FaultKind.DropAfterBytes when sent + read >= rule.Bytes:
                    await writer.WriteBodyAsync(chunk[..(int)(rule.Bytes - sent)], cancellationToken).ConfigureAwait(false);
                    return false;
            }

            if (rule?.Fault == FaultKind.Trickle)
            {
                await TrickleAsync(chunk, rule.BytesPerSecond, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await writer.WriteBodyAsync(chunk, cancellationToken).ConfigureAwait(false);
            }

            sent += read;
        }

        return true;
    }

    private async Task TrickleAsync(ReadOnlyMemory<byte> chunk, int bytesPerSecond, CancellationToken cancellationToken)
    {
        // Ten slices a second, at least a byte each.
        int slice = Math.Max(1, bytesPerSecond / 10);
        var pause = TimeSpan.FromSeconds((double)slice / bytesPerSecond);
        for (int offset = 0; offset < chunk.Length; offset += slice)
        {
            await writer.WriteBodyAsync(chunk.Slice(offset, Math.Min(slice, chunk.Length - offset)), cancellationToken).ConfigureAwait(false);
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }

    private HttpRequestMessage CreateUpstreamRequest(bool stripRange)
    {
        var request = new HttpRequestMessage(new HttpMethod(head.Method), new Uri(proxy.UpstreamUri, head.Target))
        {
            Version = new Version(1, 1),
        };
        bool hasContent = body is not null || head["Content-Length"] is not null;
        if (hasContent)
        {
            request.Content = body is null ? new ByteArrayContent([]) : new StreamContent(body);
            if (!head.IsChunked) request.Content.Headers.ContentLength = head.ContentLength;
        }

        foreach (var (name, value) in head.Headers)
        {
            if (NotForwarded.Contains(name) || (stripRange && RangeHeaders.Contains(name))) continue;
            if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content is not null)
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        // The registry builds upload Locations from Host: keep them pointing at the proxy.
        request.Headers.Host = head["Host"];
        return request;
    }

    // The request's path and query on the other base; the base's own query (a signature, say) is appended.
    private string RedirectLocation(Uri to)
    {
        var location = new Uri(to, head.Target).ToString();
        if (to.Query.Length <= 1) return location;
        return location + (location.Contains('?', StringComparison.Ordinal) ? "&" : "?") + to.Query[1..];
    }

    private bool IsHead => string.Equals(head.Method, "HEAD", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<KeyValuePair<string, string>> HeadersOf(FaultRule rule) =>
        (rule.Headers ?? new Dictionary<string, string>())
            .SelectMany(h => h.Value.Split('\n').Select(v => new KeyValuePair<string, string>(h.Key, v.Trim())));
}
