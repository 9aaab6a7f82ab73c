using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>containerd's content helpers: OpenWriter with retries, WriteBlob, Copy (resuming), CopyReaderAt.</summary>
public static class ContentHelpers
{
    /// <summary>The first wait after an IngestLocked; each retry doubles it up to <see cref="MaxRetryDelay"/> (jittered).</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(16);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    private const int CopyBufferSize = 1 << 20;

    /// <summary>
    /// Opens a writer, waiting while another writer holds the ref (Unavailable): retries with jittered
    /// backoff from 16 ms doubling to 2 s. Returns null when the expected content exists — already when
    /// asked, or committed by the other writer while we waited (AlreadyExists counts as success). When
    /// <paramref name="cancellationToken"/> fires while waiting, the last IngestLocked error is thrown
    /// (as containerd does), with the cancellation as context.
    /// </summary>
    public static async Task<IContentWriter?> OpenWriterAsync(
        IContentIngester ingester, string reference, long expectedSize = 0, Digest? expectedDigest = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ingester);
        // Content that is there is the common case of a pull again: answer it without a thrown AlreadyExists.
        if (expectedDigest is not null && ingester is LocalContentStore local && local.Contains(expectedDigest)) return null;
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                return await ingester.OpenWriterAsync(reference, expectedSize, expectedDigest, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Errors.IsAlreadyExists(ex) && expectedDigest is not null)
            {
                return null;
            }
            catch (Exception ex) when (Errors.IsUnavailable(ex))
            {
                // Full jitter over the current window, so waiters spread out instead of retrying in step.
                var wait = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Like containerd: the caller learns why it could not open, not just that it gave up.
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex);
                }
                delay = delay * 2 > MaxRetryDelay ? MaxRetryDelay : delay * 2;
            }
        }
    }

    /// <inheritdoc cref="OpenWriterAsync(IContentIngester, string, long, Digest?, CancellationToken)"/>
    public static Task<IContentWriter?> OpenWriterAsync(IContentIngester ingester, string reference, Descriptor? expected, CancellationToken cancellationToken = default) =>
        OpenWriterAsync(ingester, reference, expected?.Size ?? 0, expected?.Digest, cancellationToken);

    /// <summary>
    /// Writes <paramref name="source"/> as the content <paramref name="expected"/> describes and commits it.
    /// Returns false, without reading the source, when the content already exists (success: AlreadyExists
    /// is not an error here); true when this call committed it.
    /// </summary>
    public static async Task<bool> WriteBlobAsync(
        IContentIngester ingester, string reference, Stream source, Descriptor expected,
        IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(expected);
        var writer = await OpenWriterAsync(ingester, reference, expected.Size, expected.Digest, cancellationToken).ConfigureAwait(false);
        if (writer is null) return false;
        await using (writer.ConfigureAwait(false))
        {
            return await CopyAsync(writer, source, expected.Size, expected.Digest, labels, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="writer"/> from the writer's offset and commits.
    /// To skip what the ingest already holds it seeks a seekable source, else, when the stream also implements
    /// <see cref="IContentReader"/>, reads at the offset, else reads and discards up to it. A source
    /// that ends before <paramref name="size"/> (when known) is an error (the ingest is kept for a resume).
    /// Returns false when the commit found the content already there (success), true when it committed it.
    /// </summary>
    public static async Task<bool> CopyAsync(
        IContentWriter writer, Stream source, long size, Digest? expected,
        IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(source);
        var offset = writer.Status().Offset;
        if (offset > 0)
        {
            if (!source.CanSeek && source is IContentReader readerAt)
            {
                var end = size > 0 ? size : readerAt.Size;
                await CopyReaderAtAsync(writer, readerAt, Math.Max(0, end - offset), cancellationToken).ConfigureAwait(false);
                return await CommitAsync(writer, size, expected, labels, cancellationToken).ConfigureAwait(false);
            }
            await SkipAsync(source, offset, size, cancellationToken).ConfigureAwait(false);
        }

        var copied = await CopyStreamAsync(writer, source, cancellationToken).ConfigureAwait(false);
        if (size > 0 && copied < size - offset)
        {
            throw new FailedPreconditionException(
                $"ref {writer.Ref}: the source ended after {offset + copied} of {size} bytes", ErrorIds.SizeMismatch) { Target = writer.Ref };
        }
        return await CommitAsync(writer, size, expected, labels, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies <paramref name="count"/> bytes of <paramref name="reader"/>, starting at the writer's offset,
    /// into the writer; does not commit. A reader that ends early is an error.
    /// </summary>
    public static async Task CopyReaderAtAsync(IContentWriter writer, IContentReader reader, long count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var position = writer.Status().Offset;
        var end = position + count;
        var buffer = new byte[(int)Math.Clamp(count, 1, CopyBufferSize)];
        while (position < end)
        {
            var want = (int)Math.Min(buffer.Length, end - position);
            var read = await reader.ReadAtAsync(buffer.AsMemory(0, want), position, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new FailedPreconditionException(
                    $"ref {writer.Ref}: the source ended at {position} bytes, {end} expected", ErrorIds.SizeMismatch) { Target = writer.Ref };
            }
            await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            position += read;
        }
    }

    private static async Task<bool> CommitAsync(IContentWriter writer, long size, Digest? expected, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        try
        {
            await writer.CommitAsync(size, expected, labels, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (Errors.IsAlreadyExists(ex))
        {
            return false;
        }
    }

    private static async Task SkipAsync(Stream source, long offset, long size, CancellationToken cancellationToken)
    {
        if (source.CanSeek)
        {
            if (source.Seek(offset, SeekOrigin.Begin) != offset)
            {
                throw new FailedPreconditionException($"seeking the source to the ingest's offset {offset} failed", ErrorIds.SizeMismatch);
            }
            return;
        }
        var buffer = new byte[(int)Math.Min(CopyBufferSize, offset)];
        var remaining = offset;
        while (remaining > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new FailedPreconditionException(
                    $"the source ended after {offset - remaining} bytes, before the ingest's offset {offset}{(size > 0 ? $" (of {size})" : "")}",
                    ErrorIds.SizeMismatch);
            }
            remaining -= read;
        }
    }

    private static async Task<long> CopyStreamAsync(IContentWriter writer, Stream source, CancellationToken cancellationToken)
    {
        var buffer = new byte[CopyBufferSize];
        long copied = 0;
        while (true)
        {
            // Fill the buffer before writing: fewer, larger appends.
            var filled = 0;
            while (filled < buffer.Length)
            {
                var read = await source.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                filled += read;
            }
            if (filled == 0) return copied;
            await writer.WriteAsync(buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
            copied += filled;
            if (filled < buffer.Length) return copied;
        }
    }
}
