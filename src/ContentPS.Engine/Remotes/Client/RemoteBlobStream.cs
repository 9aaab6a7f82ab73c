using System.Net;
using ContentPS.Engine.Diagnostics;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Client;

/// <summary>
/// A blob on a registry as a seekable read-only stream of exactly its descriptor's size. Reads
/// stream the response body (nothing is buffered). Seeking closes the response; the next read
/// asks again with <c>Range: bytes=&lt;offset&gt;-&lt;size-1&gt;</c>. A connection that drops
/// mid-body is reopened the same way from the current offset, without waiting for
/// <c>Accept-Ranges</c>; a registry that answers a Range request with the whole blob (200) has
/// the prefix read and discarded. At most <c>maximumReconnects</c> reopen attempts in a row may
/// make no progress. The digest is not checked here (the content store's writer does that) but
/// the stream never yields more than the size, and a body that is longer or shorter is an error.
/// </summary>
internal sealed class RemoteBlobStream : Stream
{
    private const int DiscardBufferSize = 64 * 1024;

    private readonly Func<long, CancellationToken, Task<HttpResponseMessage>> _send;
    private readonly long _size;
    private readonly int _maximumReconnects;
    private readonly string _target;
    private readonly IEngineLog _log;

    private HttpResponseMessage? _response;
    private Stream? _body;
    private bool _bodyLengthKnown;
    private long _prefixToDiscard;
    private long _position;
    private int _attemptsWithoutProgress;
    private bool _disposed;

    private RemoteBlobStream(Func<long, CancellationToken, Task<HttpResponseMessage>> send, long size, int maximumReconnects, string target, IEngineLog log)
    {
        _send = send;
        _size = size;
        _maximumReconnects = Math.Max(0, maximumReconnects);
        _target = target;
        _log = log;
    }

    /// <summary>
    /// Sends the first request (no Range at offset 0, none at all when <paramref name="offset"/> is the size)
    /// and returns the stream over its body, positioned at <paramref name="offset"/>; a failed answer
    /// (404, 5xx after the transport's retries, a length other than <paramref name="size"/>) throws here.
    /// </summary>
    /// <param name="send">Sends the GET for the blob; the offset is where the body must start (0: no Range).</param>
    public static async Task<RemoteBlobStream> OpenAsync(Func<long, CancellationToken, Task<HttpResponseMessage>> send, long size, long offset,
        int maximumReconnects, string target, IEngineLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, size);
        var stream = new RemoteBlobStream(send, size, maximumReconnects, target, log) { _position = offset };
        try
        {
            if (offset < size)
            {
                await stream.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return stream;
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => !_disposed;

    public override bool CanWrite => false;

    public override long Length => _size;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _size + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Not a seek origin."),
        };
        if (target < 0 || target > _size)
        {
            throw Errors.New(ErrorClass.OutOfRange, $"{_target}: cannot seek to {target}; the blob has {_size} bytes", ErrorIds.OutOfRange, target: _target);
        }

        if (target != _position)
        {
            CloseResponse();
            _position = target;
            _attemptsWithoutProgress = 0;
        }

        return _position;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.Length == 0)
        {
            return 0;
        }

        if (_position >= _size)
        {
            await EnsureBodyEndsAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        while (true)
        {
            Exception? drop;
            try
            {
                if (_body is null)
                {
                    await ConnectAsync(cancellationToken).ConfigureAwait(false);
                }

                if (await DiscardPrefixAsync(cancellationToken).ConfigureAwait(false))
                {
                    int want = (int)Math.Min(buffer.Length, _size - _position);
                    int read = await _body!.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
                    if (read > 0)
                    {
                        _position += read;
                        _attemptsWithoutProgress = 0;
                        return read;
                    }
                }

                drop = null; // the body ended cleanly before the blob did
            }
            catch (Exception e) when (IsDroppedConnection(e, cancellationToken))
            {
                drop = e;
            }

            CloseResponse();
            if (++_attemptsWithoutProgress > _maximumReconnects)
            {
                throw GaveUp(drop);
            }

            _log.Verbose($"{_target}: the body ended at {_position} of {_size} bytes{(drop is null ? "" : $" ({drop.Message})")}; "
                + $"reconnecting from there (attempt {_attemptsWithoutProgress} of {_maximumReconnects})");
        }
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("A registry blob stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A registry blob stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            CloseResponse();
        }

        base.Dispose(disposing);
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        long offset = _position;
        var response = await _send(offset, cancellationToken).ConfigureAwait(false);
        try
        {
            long? length = RegistryProtocol.ContentLength(response);
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                CheckContentRange(response, offset);
                CheckLength(length, _size - offset, "the partial answer");
                _prefixToDiscard = 0;
            }
            else if (response.StatusCode == HttpStatusCode.OK)
            {
                CheckLength(length, _size, "the answer");
                if (offset > 0)
                {
                    _log.Debug($"{_target}: the registry answered the Range request with the whole blob; skipping the first {offset} bytes");
                }

                _prefixToDiscard = offset;
            }
            else
            {
                await RegistryResponses.ThrowForStatusAsync(response, $"fetch {_target}", _target, ErrorIds.BlobNotFound, cancellationToken).ConfigureAwait(false);
                throw RegistryProtocol.Violation($"fetch {_target}: the registry answered {(int)response.StatusCode} {response.ReasonPhrase} instead of the content", _target);
            }

            _body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            _bodyLengthKnown = length is not null;
            _response = response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    // A 206 must start where we asked and end at the blob's end (we always ask for the rest).
    private void CheckContentRange(HttpResponseMessage response, long offset)
    {
        var range = response.Content.Headers.ContentRange;
        if (range is null || !range.HasRange || range.From != offset || (range.To is { } to && to != _size - 1))
        {
            throw RegistryProtocol.Violation(
                $"fetch {_target}: asked for bytes {offset}-{_size - 1}, the registry answered with the range \"{range?.ToString() ?? "(none)"}\"", _target);
        }

        if (range.HasLength && range.Length != _size)
        {
            throw ContentChecks.SizeMismatch(_target, $"the registry says the blob has {range.Length} bytes, the descriptor says {_size}");
        }
    }

    private void CheckLength(long? declared, long expected, string what)
    {
        if (declared is { } length && length != expected)
        {
            throw ContentChecks.SizeMismatch(_target, $"{what} has {length} bytes, {expected} expected (the descriptor says the blob has {_size})");
        }
    }

    // True when the prefix is gone and the body is at _position; false when the body ended first.
    private async Task<bool> DiscardPrefixAsync(CancellationToken cancellationToken)
    {
        if (_prefixToDiscard == 0)
        {
            return true;
        }

        var scratch = new byte[(int)Math.Min(DiscardBufferSize, _prefixToDiscard)];
        while (_prefixToDiscard > 0)
        {
            int read = await _body!.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, _prefixToDiscard)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            _prefixToDiscard -= read;
        }

        return true;
    }

    // At the blob's end: a body of unknown length must end here too (a longer body is not this blob).
    private async Task EnsureBodyEndsAsync(CancellationToken cancellationToken)
    {
        if (_body is null)
        {
            return;
        }

        try
        {
            if (!_bodyLengthKnown && _prefixToDiscard == 0)
            {
                var probe = new byte[1];
                int extra;
                try
                {
                    extra = await _body.ReadAsync(probe, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsDroppedConnection(e, cancellationToken))
                {
                    extra = 0; // every byte of the blob arrived; how the connection ends does not matter
                }

                if (extra > 0)
                {
                    throw ContentChecks.SizeMismatch(_target, $"the registry sent more than the descriptor's {_size} bytes");
                }
            }
        }
        finally
        {
            CloseResponse();
        }
    }

    private static bool IsDroppedConnection(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || exception is OperationCanceledException)
        {
            return false;
        }

        return exception is IOException or HttpRequestException
            || Errors.Resolve(exception) is ErrorClass.Unavailable or ErrorClass.DeadlineExceeded;
    }

    private Exception GaveUp(Exception? drop)
    {
        var where = $"{_position} of {_size} bytes";
        if (drop is null)
        {
            return ContentChecks.SizeMismatch(_target, $"the registry's answers end at {where}; {_maximumReconnects} reconnects brought no more");
        }

        var message = $"fetch {_target}: the connection dropped at {where} and {_maximumReconnects} reconnects brought no more";
        return ExceptionChain.FindClassified(drop) is not null
            ? Errors.Wrap(drop, message)
            : Errors.New(ErrorClass.Unavailable, $"{message}: {drop.Message}", ErrorIds.RegistryUnavailable, drop, _target);
    }

    private void CloseResponse()
    {
        _body?.Dispose();
        _body = null;
        _response?.Dispose();
        _response = null;
        _prefixToDiscard = 0;
    }
}
