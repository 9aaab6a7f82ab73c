using System.Buffers;
using System.Threading.Channels;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>What <see cref="BlobImport.ImportFileAsync"/> did.</summary>
public sealed record BlobImportResult
{
    public required Digest Digest { get; init; }
    public required long Size { get; init; }
    /// <summary>The ingest ref the file was written under.</summary>
    public required string Ref { get; init; }
    /// <summary>False when the content was already in the store (still a success).</summary>
    public required bool Committed { get; init; }
    /// <summary>The offset a partial ingest of an earlier, interrupted import let this one start at (0: started fresh).</summary>
    public long ResumedAt { get; init; }
}

/// <summary>Callbacks of one import; every member is optional and may be called from any thread.</summary>
public sealed class BlobImportObserver
{
    /// <summary>Called with the bytes in the ingest so far (including resumed ones) and the total (0 when unknown).</summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>Called with a human-readable note (waiting for a lock, resuming, starting over).</summary>
    public Action<string>? Note { get; init; }
}

/// <summary>
/// File → content store, the code path of <c>Import-Blob</c>. The file is streamed, never read whole:
/// one task reads ahead into a few pooled buffers while the writer appends and hashes, so reading overlaps
/// writing and hashing and memory does not grow with the file. Each file has a stable ingest ref
/// (<c>import:&lt;full path&gt;</c>): an interrupted import resumes where it stopped, after the file's
/// first bytes are checked against the partial ingest (a file that changed starts over). Two imports of
/// the same path wait for each other (IngestLocked, retried with backoff); content that is already in the
/// store is a success.
/// </summary>
public static class BlobImport
{
    /// <summary>Bytes per read and per append.</summary>
    public const int ChunkSize = 1 << 20;

    /// <summary>Chunks read ahead of the writer: memory is bounded by (this + 1) × <see cref="ChunkSize"/>.</summary>
    public const int ChunksAhead = 4;

    /// <summary>The ingest ref an import of <paramref name="fullPath"/> uses.</summary>
    public static string RefFor(string fullPath) => "import:" + fullPath;

    /// <summary>
    /// Imports the file at <paramref name="path"/> (a regular file, or a pipe/FIFO read to its end). A missing
    /// file is NotFound (<c>PathNotFound</c>), a directory InvalidArgument (<c>PathIsDirectory</c>).
    /// <paramref name="labels"/> are set on the blob (per key: labels it already had are kept).
    /// </summary>
    public static async Task<BlobImportResult> ImportFileAsync(
        IContentStore store, string path, IReadOnlyDictionary<string, string>? labels = null,
        BlobImportObserver? observer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new InvalidArgumentException($"{fullPath} is a directory, not a file", ErrorIds.PathIsDirectory) { Target = fullPath };
        }
        if (!File.Exists(fullPath))
        {
            throw new NotFoundException($"cannot find {fullPath}: the file does not exist", ErrorIds.PathNotFound) { Target = fullPath };
        }

        FileStream source;
        try
        {
            // Opening a FIFO waits for its writer: run it aside so a stop (Ctrl+C) is not stuck behind it.
            var opening = Task.Run(() => new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan), CancellationToken.None);
            try
            {
                source = await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _ = opening.ContinueWith(t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); else _ = t.Exception; }, TaskScheduler.Default);
                throw;
            }
        }
        catch (FileNotFoundException ex)
        {
            throw new NotFoundException($"cannot find {fullPath}: {ex.Message}", ErrorIds.PathNotFound, ex) { Target = fullPath };
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw Errors.Wrap(ex, $"cannot read {fullPath}");
        }

        await using (source.ConfigureAwait(false))
        {
            var size = source.CanSeek ? source.Length : 0;
            var reference = RefFor(fullPath);
            var writer = await OpenAsync(store, reference, size, observer, cancellationToken).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                var resumedAt = await ResumeAsync(writer, source, fullPath, observer, cancellationToken).ConfigureAwait(false);
                observer?.Progress?.Invoke(resumedAt, size);
                await PumpAsync(source, writer, size, observer, cancellationToken).ConfigureAwait(false);
                var written = writer.Status().Offset;
                if (size > 0 && written != size)
                {
                    // The file changed while it was read: what was written is neither the old nor the new file.
                    await writer.TruncateAsync(0, cancellationToken).ConfigureAwait(false);
                    throw new FailedPreconditionException(
                        $"{fullPath} changed while it was imported: {size} bytes expected, {written} read", ErrorIds.SizeMismatch) { Target = fullPath };
                }

                var digest = writer.Digest;
                var committed = true;
                try
                {
                    await writer.CommitAsync(written, null, labels is { Count: > 0 } ? labels : null, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (Errors.IsAlreadyExists(ex))
                {
                    committed = false;
                }
                if (!committed && labels is { Count: > 0 })
                {
                    var info = new ContentInfo { Digest = digest, Size = written, CreatedAt = default, UpdatedAt = default, Labels = labels };
                    await store.UpdateAsync(info, labels.Keys.Select(key => "labels." + key).ToList(), cancellationToken).ConfigureAwait(false);
                }
                return new BlobImportResult { Digest = digest, Size = written, Ref = reference, Committed = committed, ResumedAt = resumedAt };
            }
        }
    }

    private static async Task<IContentWriter> OpenAsync(IContentStore store, string reference, long size, BlobImportObserver? observer, CancellationToken cancellationToken)
    {
        try
        {
            return await store.OpenWriterAsync(reference, size, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Errors.IsUnavailable(ex))
        {
            observer?.Note?.Invoke($"waiting for another import of the same file: {ex.Message}");
        }
        var writer = await ContentHelpers.OpenWriterAsync(store, reference, size, null, cancellationToken).ConfigureAwait(false);
        return writer ?? throw new InternalException($"ref {reference}: no writer was opened", ErrorIds.Internal);
    }

    /// <summary>
    /// Positions <paramref name="source"/> after what the ingest already holds, once the source's first bytes
    /// hash to the ingest's digest; otherwise starts the ingest over. Returns the offset the import resumes at.
    /// </summary>
    private static async Task<long> ResumeAsync(IContentWriter writer, FileStream source, string fullPath, BlobImportObserver? observer, CancellationToken cancellationToken)
    {
        var offset = writer.Status().Offset;
        if (offset == 0) return 0;
        var partial = writer.Digest;
        using var digester = new Digester(partial.Algorithm);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long read = 0;
        try
        {
            while (read < offset)
            {
                var n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(ChunkSize, offset - read)), cancellationToken).ConfigureAwait(false);
                if (n == 0) break;
                digester.Append(buffer.AsSpan(0, n));
                read += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (read == offset && digester.Finish() == partial)
        {
            observer?.Note?.Invoke($"resuming the partial ingest {writer.Ref} at offset {offset}");
            return offset;
        }

        await writer.TruncateAsync(0, cancellationToken).ConfigureAwait(false);
        if (!source.CanSeek)
        {
            throw new FailedPreconditionException(
                $"the partial ingest of {fullPath} does not match its first {offset} bytes; it was discarded, import it again",
                ErrorIds.DigestMismatch) { Target = fullPath };
        }
        source.Seek(0, SeekOrigin.Begin);
        observer?.Note?.Invoke($"the partial ingest {writer.Ref} does not match the file; starting over");
        return 0;
    }

    /// <summary>One task reads ahead into pooled chunks; this one appends them to the writer (which hashes).</summary>
    private static async Task PumpAsync(FileStream source, IContentWriter writer, long size, BlobImportObserver? observer, CancellationToken cancellationToken)
    {
        var filled = Channel.CreateBounded<(byte[] Buffer, int Count)>(new BoundedChannelOptions(ChunksAhead) { SingleReader = true, SingleWriter = true });
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                    var count = 0;
                    try
                    {
                        // Fill whole chunks (pipes deliver less): fewer, larger appends.
                        while (count < ChunkSize)
                        {
                            var n = await source.ReadAsync(buffer.AsMemory(count, ChunkSize - count), linked.Token).ConfigureAwait(false);
                            if (n == 0) break;
                            count += n;
                        }
                    }
                    catch
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        throw;
                    }
                    if (count == 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        break;
                    }
                    await filled.Writer.WriteAsync((buffer, count), linked.Token).ConfigureAwait(false);
                    if (count < ChunkSize && source.CanSeek && source.Position >= source.Length) break;
                }
                filled.Writer.Complete();
            }
            catch (Exception ex)
            {
                filled.Writer.Complete(ex);
            }
        }, CancellationToken.None);

        var drained = false;
        try
        {
            await foreach (var (buffer, count) in filled.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await writer.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                observer?.Progress?.Invoke(writer.Status().Offset, size);
            }
            drained = true;
        }
        finally
        {
            linked.Cancel();
            if (drained)
            {
                // The reader completed the channel: it has finished.
                await reader.ConfigureAwait(false);
            }
            else
            {
                // Stopped or failed: the reader may be blocked in a read that no token interrupts (a FIFO with no
                // data yet); let it end on its own instead of waiting for it.
                _ = reader.ContinueWith(_ =>
                {
                    while (filled.Reader.TryRead(out var left)) ArrayPool<byte>.Shared.Return(left.Buffer);
                }, TaskScheduler.Default);
            }
            while (filled.Reader.TryRead(out var left))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
            }
        }
    }
}
