using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>
/// The writer of one ingest of a <see cref="LocalContentStore"/> (see <see cref="IngestFiles"/>). It holds the
/// ingest's OS lock from open to <see cref="CommitAsync"/> or <see cref="DisposeAsync"/>; appends go straight to
/// <c>&lt;key&gt;.data</c> (unbuffered, so another process's Status sees the real offset). The record
/// (<c>&lt;key&gt;.json</c>: ref, expected content, offset, holder) is written about once a second while bytes
/// arrive and when the writer closes without a commit, not per write; a writer of small known content
/// writes none at open, because most finish within milliseconds and a record per blob would cost two more
/// file creations: other processes see such an ingest only once it lasts a second (this process at once,
/// <see cref="OpenIngests"/>), and a crash in that second leaves data that is started over, not resumed.
/// </summary>
internal sealed class LocalContentWriter : IContentWriter
{
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);
    /// <summary>Up to this expected size a fresh ingest writes its record only when it lasts (see above).</summary>
    internal const long DeferredRecordMaxSize = 256 * 1024;
    private const int RehashBufferSize = 1 << 20;

    private readonly StoreLayout _layout;
    private readonly ILabelStore _labels;
    private readonly IngestFiles _files;
    private readonly IngestLock _lock;
    private readonly DateTimeOffset _openedAt;
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
        StoreLayout layout, ILabelStore labels, string reference, IngestFiles files, IngestLock held, FileStream data,
        Digester digester, long offset, long total, Digest? expected, DateTimeOffset startedAt, DateTimeOffset updatedAt)
    {
        _layout = layout;
        _labels = labels;
        Ref = reference;
        _files = files;
        _lock = held;
        _openedAt = DateTimeOffset.UtcNow;
        _data = data;
        _digester = digester;
        _offset = offset;
        _total = total;
        _expected = expected;
        _startedAt = startedAt;
        _updatedAt = updatedAt;
        _checkpointedAt = _openedAt;
        _checkpointedOffset = -1;
    }

    public string Ref { get; }

    /// <summary>The digest so far; after a commit, the digest it committed (or computed).</summary>
    public Digest Digest => _final ?? _digester.Current;

    /// <summary>Who holds the ingest: this process, since the writer opened.</summary>
    internal (DateTimeOffset Since, int ProcessId) Holder => (_openedAt, Environment.ProcessId);

    /// <summary>
    /// Resumes the ingest <paramref name="files"/>, whose lock the caller has just taken, or starts it
    /// over when what is there cannot be trusted: another ref (hash collision or tampering), a data file
    /// shorter than its checkpoint or longer than its total, or a different expected size or digest.
    /// </summary>
    internal static async Task<LocalContentWriter> OpenAsync(
        StoreLayout layout, ILabelStore labels, string reference, IngestFiles files, IngestLock held,
        long expectedSize, Digest? expectedDigest, CancellationToken cancellationToken)
    {
        var record = IngestRecord.Read(files);
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
            // The record goes first, so a crash in between leaves data nobody resumes.
            File.Delete(files.Record);
        }

        var data = new FileStream(
            files.Data, resumable ? FileMode.OpenOrCreate : FileMode.Create,
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
            var writer = new LocalContentWriter(layout, labels, reference, files, held, data, digester, offset, total, expected, startedAt, updatedAt);
            // A resumed ingest names its new holder at once; so does one that may well take a while.
            if (resumable || total <= 0 || total > DeferredRecordMaxSize)
            {
                writer.Checkpoint();
            }
            OpenIngests.Add(files, writer);
            return writer;
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
            var source = _files.Data;
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
            DirectorySyncs.Sync(_layout.Root, Path.GetDirectoryName(target)!);
            keepIngest = false;

            if (labels is not null)
            {
                await _labels.UpdateAsync(actual, labels, null, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await _data.DisposeAsync().ConfigureAwait(false);
            OpenIngests.Remove(_files, this);
            _digester.Dispose();
            if (!keepIngest)
            {
                RemoveIngest();
            }
            else
            {
                TryCheckpoint();
                _lock.Dispose();
            }
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
        OpenIngests.Remove(_files, this);
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

    /// <summary>Writes the record: what is ingested, up to which offset, and who holds it.</summary>
    private void Checkpoint()
    {
        IngestRecordFile.Write(_files.Record, new IngestRecordFile.Content(
            Ref, _total, _expected, false, _startedAt, _offset, _updatedAt, Environment.ProcessId, _openedAt));
        _checkpointedAt = DateTimeOffset.UtcNow;
        _checkpointedOffset = _offset;
    }

    /// <summary>Removes what is left of a finished ingest (the data is gone after a commit) and releases it.</summary>
    private void RemoveIngest()
    {
        try
        {
            if (_checkpointedOffset >= 0) File.Delete(_files.Record);
            File.Delete(_files.Data);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        finally
        {
            _lock.ReleaseFinished();
        }
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
}
