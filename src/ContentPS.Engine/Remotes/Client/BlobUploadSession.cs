using System.Globalization;
using System.Runtime.ExceptionServices;
using ContentPS.Engine.Diagnostics;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Remotes.Client;

/// <summary>
/// One blob upload opened on a registry (<c>POST /blobs/uploads/</c> answered 202): its
/// <c>Location</c>, which every answer may move, and the ways to finish it: one streamed
/// <c>PUT ?digest=</c>, or <c>PATCH</c> chunks then an empty <c>PUT ?digest=</c>; or to cancel it.
/// Upload requests are not idempotent (a resent chunk would be appended twice), so the transport
/// never retries them; the caller cancels a failed upload (a new push opens a new session).
/// </summary>
internal sealed class BlobUploadSession
{
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(30);

    private readonly IRegistryTransport _transport;
    private readonly RegistryHost _host;
    private readonly AuthScope _scope;
    private readonly string _target;
    private readonly IEngineLog _log;

    private BlobUploadSession(IRegistryTransport transport, RegistryHost host, AuthScope scope, Uri location, long? chunkMinLength, string target, IEngineLog log)
    {
        _transport = transport;
        _host = host;
        _scope = scope;
        Location = location;
        ChunkMinLength = chunkMinLength;
        _target = target;
        _log = log;
    }

    /// <summary>Where the next request of the upload goes.</summary>
    public Uri Location { get; private set; }

    /// <summary>The registry's <c>OCI-Chunk-Min-Length</c>: it wants chunks of at least this size.</summary>
    public long? ChunkMinLength { get; }

    /// <summary>The session of a 202 answer to a POST (a plain upload start or a mount the registry could not do).</summary>
    public static BlobUploadSession FromAccepted(HttpResponseMessage response, Uri requestUri, IRegistryTransport transport, RegistryHost host,
        AuthScope scope, string target, IEngineLog log)
    {
        var location = RegistryProtocol.Location(response, requestUri, target);
        return new BlobUploadSession(transport, host, scope, location,
            RegistryProtocol.PositiveInteger(response.Headers, RegistryProtocol.ChunkMinLengthHeader), target, log);
    }

    /// <summary>Uploads the whole blob in one <c>PUT ?digest=</c> streamed from <paramref name="open"/>.</summary>
    public async Task PutAsync(Descriptor descriptor, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        UploadContent? body = null;
        var request = UploadRequest(HttpMethod.Put, WithDigest(Location, descriptor.Digest),
            () => body = new UploadContent(open, ownsSource: true, descriptor.Size, mustEnd: true, _target));
        await FinishAsync(request, descriptor.Digest, () => body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Uploads the blob in <c>PATCH</c> chunks of <paramref name="chunkSize"/> bytes read from one
    /// opening of the content, following the <c>Location</c> of each answer and checking its
    /// <c>Range</c>, then completes it with an empty <c>PUT ?digest=</c>.
    /// </summary>
    public async Task PatchChunksAsync(Descriptor descriptor, Func<CancellationToken, Task<Stream>> open, long chunkSize, CancellationToken cancellationToken)
    {
        var source = await open(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            long offset = 0;
            while (offset < descriptor.Size)
            {
                long count = Math.Min(chunkSize, descriptor.Size - offset);
                UploadContent? body = null;
                var request = UploadRequest(HttpMethod.Patch, Location,
                    () => body = new UploadContent(_ => Task.FromResult(source), ownsSource: false, count, mustEnd: false, _target),
                    contentRange: $"{offset}-{offset + count - 1}");
                using var response = await SendAsync(request, () => body, cancellationToken).ConfigureAwait(false);
                await EnsureSuccessAsync(response, "upload a chunk of", cancellationToken).ConfigureAwait(false);
                Location = RegistryProtocol.Location(response, Location, _target);
                offset += count;
                CheckReceived(response, offset);
                _log.Debug($"{_target}: the registry holds {offset} of {descriptor.Size} bytes");
            }

            var probe = new byte[1];
            if (await source.ReadAsync(probe, cancellationToken).ConfigureAwait(false) > 0)
            {
                throw ContentChecks.SizeMismatch(_target, $"the content to upload has more than the descriptor's {descriptor.Size} bytes");
            }
        }

        var complete = UploadRequest(HttpMethod.Put, WithDigest(Location, descriptor.Digest), () => new ByteArrayContent([]));
        await FinishAsync(complete, descriptor.Digest, () => null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the session (best effort: a failure is logged, never thrown, and the call does not wait long).</summary>
    public async Task CancelAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(CancelTimeout);
            using var response = await _transport.SendAsync(UploadRequest(HttpMethod.Delete, Location, content: null), timeout.Token).ConfigureAwait(false);
            _log.Verbose($"{_target}: cancelled the upload session ({(int)response.StatusCode})");
        }
        catch (Exception e)
        {
            _log.Verbose($"{_target}: cancelling the upload session failed: {e.Message}");
        }
    }

    private async Task FinishAsync(RegistryRequest request, Digest digest, Func<UploadContent?> body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, body, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "upload", cancellationToken).ConfigureAwait(false);
        if (RegistryProtocol.ContentDigest(response, _target) is { } stored && stored.Algorithm == digest.Algorithm && !stored.Equals(digest))
        {
            throw ContentChecks.DigestMismatch(digest, stored, _target);
        }
    }

    // The failure of the body (source too short, unreadable) is the real cause, not the transport's wrapper of it.
    private async Task<HttpResponseMessage> SendAsync(RegistryRequest request, Func<UploadContent?> body, CancellationToken cancellationToken)
    {
        try
        {
            return await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (body()?.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }

    // The spec says 202 for a chunk and 201 for the end; any success is taken (a chunk's answer must still carry a Location).
    private Task EnsureSuccessAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken) =>
        RegistryResponses.ThrowForStatusAsync(response, $"{action} {_target}", _target, ErrorIds.BlobNotFound, cancellationToken);

    // The Range answer ("0-<last>") says how much the registry holds: it must be everything sent
    // (a registry that kept part of a chunk lost data a resend from the same source cannot fix).
    private void CheckReceived(HttpResponseMessage response, long sent)
    {
        if (!response.Headers.TryGetValues("Range", out var values))
        {
            return;
        }

        var text = values.FirstOrDefault()?.Trim() ?? string.Empty;
        var range = text.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) ? text[6..] : text;
        var parts = range.Split('-');
        if (parts.Length != 2 || parts[0] != "0" || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || last + 1 != sent)
        {
            throw RegistryProtocol.Violation($"upload {_target}: {sent} bytes sent, the registry answered that it holds the range \"{text}\"", _target);
        }
    }

    private RegistryRequest UploadRequest(HttpMethod method, Uri url, Func<HttpContent>? content, string? contentRange = null) => new()
    {
        Host = _host,
        Method = method,
        Url = url,
        Scope = _scope,
        Idempotent = method == HttpMethod.Delete,
        Content = content is null || contentRange is null ? content : () => WithContentRange(content(), contentRange),
    };

    // distribution and the OCI spec write chunk ranges without the "bytes " unit .NET's typed header would add.
    private static HttpContent WithContentRange(HttpContent content, string range)
    {
        content.Headers.TryAddWithoutValidation("Content-Range", range);
        return content;
    }

    private static Uri WithDigest(Uri location, Digest digest)
    {
        var builder = new UriBuilder(location);
        var parameter = "digest=" + Uri.EscapeDataString(digest.ToString());
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? parameter : builder.Query.TrimStart('?') + "&" + parameter;
        return builder.Uri;
    }
}
