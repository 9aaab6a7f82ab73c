using System.Net;

namespace ContentPS.Engine.Remotes.Client;

/// <summary>
/// A request body of exactly <c>count</c> bytes streamed from a source that is opened only when
/// the request is sent, so nothing is buffered and <c>Content-Length</c> is known up front. A
/// source that ends early, or (with <c>mustEnd</c>) has more bytes, fails the request; the failure
/// is kept in <see cref="Failure"/>, because HttpClient hides it inside its own exception.
/// </summary>
internal sealed class UploadContent : HttpContent
{
    private const int BufferSize = 128 * 1024;

    private readonly Func<CancellationToken, Task<Stream>> _open;
    private readonly bool _ownsSource;
    private readonly long _count;
    private readonly bool _mustEnd;
    private readonly string _target;

    /// <param name="open">Opens the source, positioned where this body starts.</param>
    /// <param name="ownsSource">Dispose the source when the body is sent.</param>
    /// <param name="count">The body's length.</param>
    /// <param name="mustEnd">The source must end after <paramref name="count"/> bytes (the whole blob).</param>
    /// <param name="target">What the content is, for messages.</param>
    public UploadContent(Func<CancellationToken, Task<Stream>> open, bool ownsSource, long count, bool mustEnd, string target)
    {
        _open = open;
        _ownsSource = ownsSource;
        _count = count;
        _mustEnd = mustEnd;
        _target = target;
        Headers.TryAddWithoutValidation("Content-Type", "application/octet-stream");
    }

    /// <summary>Why the body could not be sent (source too short or long, open failed), or null.</summary>
    public Exception? Failure { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Stream? source = null;
        try
        {
            source = await _open(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[(int)Math.Clamp(_count, 1, BufferSize)];
            long remaining = _count;
            while (remaining > 0)
            {
                int read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw ContentChecks.SizeMismatch(_target, $"the content to upload ended after {_count - remaining} of {_count} bytes");
                }

                remaining -= read;
                // Checked before the last bytes go out: a body cut short is never committed, a complete one might be.
                if (remaining == 0 && _mustEnd && await source.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) > 0)
                {
                    throw ContentChecks.SizeMismatch(_target, $"the content to upload has more than the descriptor's {_count} bytes");
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            if (_count == 0 && _mustEnd && await source.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) > 0)
            {
                throw ContentChecks.SizeMismatch(_target, "the content to upload is not empty, the descriptor says it is");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failure = e;
            throw;
        }
        finally
        {
            if (_ownsSource && source is not null)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _count;
        return true;
    }
}
