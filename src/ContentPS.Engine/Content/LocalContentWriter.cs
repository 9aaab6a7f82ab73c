using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>
/// The writer of one ingest folder of a <see cref="LocalContentStore"/>. It holds the folder's OS lock
/// from open to <see cref="CommitAsync"/> or <see cref="DisposeAsync"/>; appends go straight to
/// <c>data</c> (unbuffered, so another process's Status sees the real offset), and <c>checkpoint.json</c> (offset
/// and update time) is written about once a second, not per write.
/// </summary>
internal sealed class LocalContentWriter : IContentWriter
{
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);
    private const int RehashBufferSize = 1 << 20;

    private readonly StoreLayout _layout;
    private readonly ILabelStore _labels;
    private readonly string _directory;
    private readonly FileLock _lock;
    private readonly FileStream _data;
    private readonly DateTimeOffset _startedAt;
    private readonly long _total;
    private readonly Digest? _expected;
    private Digester _digester;
    private long _offset;
    private DateTimeOffset _updatedAt;
    private DateTimeOffset _checkpointedAt;
    private long _checkpointedOffset;
    private Digest? _final;
    private bool _finished;

    private LocalContentWriter(
        StoreLayout layout, ILabelStore labels, string reference, string directory, FileLock held, FileStream data,
        Digester digester, long offset, long total, Digest? expected, DateTimeOffset startedAt, DateTimeOffset updatedAt)
    {
        _layout = layout;
        _labels = labels;
        Ref = reference;
        _directory = directory;
        _lock = held;
        _data = data;
        _digester = digester;
        _offset = offset;
        _total = total;
        _expected = expected;
        _startedAt = startedAt;
        _updatedAt = updatedAt;
        _checkpointedAt = DateTimeOffset.UtcNow;
        _checkpointedOffset = offset;
    }

    public string Ref { get; }

    /// <summary>The digest so far; after a commit, the digest it committed (or computed).</summary>
    public Digest Digest => _final ?? _digester.Current;

    /// <summary>Where the ingest lives, for tests and diagnostics.</summary>
    internal string Directory => _directory;

    /// <summary>
    /// Resumes the ingest in <paramref name="directory"/>, whose lock the caller has just taken, or starts it
    /// over when what is there cannot be trusted: another ref (hash collision or tampering), a data file
    /// shorter than its checkpoint or longer than its total, or a different expected size or digest.
    /// </summary>
    internal static async Task<LocalContentWriter> OpenAsync(
        StoreLayout layout, ILabelStore labels, string reference, string directory, FileLock held,
        long expectedSize, Digest? expectedDigest, CancellationToken cancellationToken)
    {
        var record = IngestRecord.Read(directory);
        var resumable = record is not null
            && string.Equals(record.Ref, reference, StringComparison.Ordinal)
            && !record.ExpectedUnreadable
            && record.DataLength >= record.CheckpointOffset
            && (record.Total <= 0 || record.DataLength <= record.Total)
            && (expectedSize <= 0 || record.Total <= 0 || record.Total == expectedSize)
            && (expectedSize <= 0 || record.DataLength <= expectedSize)
            && (expectedDigest is null || record.Expected is null || record.Expected == expectedDigest);

        var total = expectedSize > 0 ? expectedSize : resumable ? record!.Total : 0;
        var expected = expectedDigest ?? (resumable ? record!.Expected : null);
        var algorithm = expected is { IsStorable: true } ? expected.Algorithm : Digest.Sha256;
        var now = DateTimeOffset.UtcNow;

        if (!resumable)
        {
            // The record goes first, so a crash in between leaves a folder nobody resumes.
            if (record is not null) TryDelete(Path.Combine(directory, IngestFiles.Info));
            TryDelete(Path.Combine(directory, IngestFiles.Checkpoint));
        }

        var data = new FileStream(
            Path.Combine(directory, IngestFiles.Data), resumable ? FileMode.OpenOrCreate : FileMode.Create,
            FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.None);
        var digester = new Digester(algorithm);
        try
        {
            long offset = 0;
            if (resumable)
            {
                // Re-hash what is there: the running digest of a resumed write is as exact as a fresh one.
                offset = await RehashAsync(data, digester, data.Length, cancellationToken).ConfigureAwait(false);
            }
            data.Position = offset;

            var startedAt = resumable ? record!.StartedAt : now;
            var updatedAt = resumable ? record!.UpdatedAt : now;
            if (!resumable)
            {
                IngestFiles.WriteInfo(directory, reference, total, expected, startedAt, replace: false);
            }
            else if (record!.Total != total || record.Expected != expected)
            {
                IngestFiles.WriteInfo(directory, reference, total, expected, startedAt, replace: true);
            }
            return new LocalContentWriter(layout, labels, reference, directory, held, data, digester, offset, total, expected, startedAt, updatedAt);
        }
        catch
        {
            digester.Dispose();
            await data.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public IngestStatus Status() => new()
    {
        Ref = Ref,
        Offset = _offset,
        Total = _total,
        Expected = _expected,
        StartedAt = _startedAt,
        UpdatedAt = _updatedAt,
        Locked = !_finished,
    };

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        if (data.IsEmpty) return;
        try
        {
            await _data.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A short write (disk full, cancellation) must not leave bytes the running digest has not seen.
            try
            {
                _data.SetLength(_offset);
                _data.Position = _offset;
            }
            catch (IOException)
            {
            }
            throw;
        }
        _digester.Append(data.Span);
        _offset += data.Length;
        _updatedAt = DateTimeOffset.UtcNow;
        if (_updatedAt - _checkpointedAt >= CheckpointInterval)
        {
            Checkpoint();
        }
    }

    /// <summary>Keeps the first <paramref name="size"/> bytes (any size up to the offset) and re-hashes them.</summary>
    public async Task TruncateAsync(long size, CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        if (size < 0 || size > _offset)
        {
            throw new InvalidArgumentException(
                $"ref {Ref}: cannot truncate to {size} bytes, the ingest holds {_offset}", ErrorIds.InvalidSize) { Target = Ref };
        }
        _data.SetLength(size);
        var digester = new Digester(_digester.Algorithm);
        try
        {
            await RehashAsync(_data, digester, size, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            digester.Dispose();
            throw;
        }
        _digester.Dispose();
        _digester = digester;
        _data.Position = size;
        _offset = size;
        _updatedAt = DateTimeOffset.UtcNow;
        // Lower the checkpoint now: a checkpoint above the data would make the next open start over.
        Checkpoint();
    }

    public async Task CommitAsync(long size, Digest? expected, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        _finished = true;
        var keepIngest = true;
        try
        {
            if (size > 0 && size != _offset)
            {
                keepIngest = false;
                throw new FailedPreconditionException(
                    $"ref {Ref}: commit size mismatch: expected {size} bytes, got {_offset}; the ingest was removed",
                    ErrorIds.SizeMismatch) { Target = Ref };
            }

            var actual = _digester.Current;
            _final = actual;
            if (expected is not null && expected.Algorithm != actual.Algorithm)
            {
                expected.EnsureStorable();
                using var other = new Digester(expected.Algorithm);
                await RehashAsync(_data, other, _offset, cancellationToken).ConfigureAwait(false);
                actual = other.Finish();
                _final = actual;
            }
            if (expected is not null && expected != actual)
            {
                keepIngest = false;
                throw new FailedPreconditionException(
                    $"ref {Ref}: commit digest mismatch: expected {expected}, got {actual}; the ingest was removed",
                    ErrorIds.DigestMismatch) { Target = expected.ToString() };
            }

            var target = _layout.BlobPath(actual);
            var source = Path.Combine(_directory, IngestFiles.Data);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target))
            {
                keepIngest = false;
                throw Exists(actual);
            }

            _data.Flush(flushToDisk: true);
            await _data.DisposeAsync().ConfigureAwait(false);
            // Make the file what a blob is (read-only, stamped with the commit time) before it becomes one.
            var commitTime = DateTime.UtcNow;
            File.SetLastWriteTimeUtc(source, commitTime);
            MakeReadOnly(source);
            if (!MoveNoReplace(source, target))
            {
                keepIngest = false;
                throw Exists(actual);
            }
            AtomicFile.SyncDirectory(Path.GetDirectoryName(target)!);
            keepIngest = false;

            if (labels is not null)
            {
                await _labels.UpdateAsync(actual, labels, null, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await _data.DisposeAsync().ConfigureAwait(false);
            if (!keepIngest)
            {
                IngestLocks.Remove(_directory);
            }
            else
            {
                TryCheckpoint();
            }
            _digester.Dispose();
            _lock.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_finished) return;
        _finished = true;
        try
        {
            _data.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
        }
        await _data.DisposeAsync().ConfigureAwait(false);
        TryCheckpoint();
        _final = _digester.Current;
        _digester.Dispose();
        _lock.Dispose();
    }

    internal static AlreadyExistsException Exists(Digest digest) =>
        new($"content {digest}: already exists", ErrorIds.BlobAlreadyExists) { Target = digest.ToString() };

    private void EnsureOpen()
    {
        if (_finished)
        {
            throw new FailedPreconditionException(
                $"ref {Ref}: the writer is closed (committed or disposed)", ErrorIds.WriterClosed) { Target = Ref };
        }
    }

    private void Checkpoint()
    {
        IngestFiles.WriteCheckpoint(_directory, _offset, _updatedAt);
        _checkpointedAt = DateTimeOffset.UtcNow;
        _checkpointedOffset = _offset;
    }

    private void TryCheckpoint()
    {
        try
        {
            if (_checkpointedOffset != _offset || _checkpointedAt < _updatedAt)
            {
                Checkpoint();
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task<long> RehashAsync(FileStream data, Digester digester, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(RehashBufferSize, Math.Max(length, 1))];
        long position = 0;
        while (position < length)
        {
            var want = (int)Math.Min(buffer.Length, length - position);
            var read = await RandomAccess.ReadAsync(data.SafeFileHandle, buffer.AsMemory(0, want), position, cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            digester.Append(buffer.AsSpan(0, read));
            position += read;
        }
        return position;
    }

    /// <summary>
    /// Moves the data into place unless the blob exists; false when it does. Of several committers of one
    /// digest, in any processes, exactly one wins: link(2) on Unix, MoveFileEx without replace on Windows.
    /// </summary>
    private static bool MoveNoReplace(string source, string target)
    {
        if (!OperatingSystem.IsWindows())
        {
            switch (UnixFile.TryLink(source, target))
            {
                case true:
                    File.Delete(source);
                    return true;
                case false:
                    return false;
            }
            // A file system without hard links: check, then rename (a race can replace a blob with the same bytes).
        }
        try
        {
            File.Move(source, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
    }

    private static void MakeReadOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.ReadOnly);
            return;
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
