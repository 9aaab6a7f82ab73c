using System.Buffers;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Archives;

/// <summary>
/// The entries of an archive being imported, read once, in the order they come: each regular file is
/// streamed into its own ingest of the store (ref <c>archive-import:&lt;id&gt;:&lt;entry&gt;</c>) and hashed
/// as it is written, and the writer is kept open, uncommitted, until the import knows which blobs it needs.
/// An entry named <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c> is checked against that digest the moment it ends
/// (FailedPrecondition <c>DigestMismatch</c>); content the store has already is hashed and not written.
/// Small JSON entries (at most <see cref="ManifestParser.MaxManifestSize"/>, starting with <c>{</c> or
/// <c>[</c>) are also kept in memory, up to <see cref="MaxBufferedBytes"/> in all: memory is bounded by that
/// plus one copy buffer, whatever the size of the layers. Disposing aborts every ingest not committed.
/// </summary>
internal sealed class ArchiveSpool : IAsyncDisposable
{
    /// <summary>The most bytes of JSON entries kept in memory.</summary>
    public const long MaxBufferedBytes = 64L * 1024 * 1024;

    /// <summary>Root files of a layout or docker archive: kept in memory only, never content.</summary>
    private static readonly HashSet<string> ControlFiles = new(StringComparer.Ordinal)
    {
        ImageLayout.LayoutFileName, ImageLayout.IndexFileName, DockerArchiveJson.ManifestFileName, DockerArchiveJson.RepositoriesFileName,
    };

    private const int CopyBufferSize = 1 << 20;
    private const int MaxLinkHops = 16;

    private readonly IContentStore _store;
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly Dictionary<string, SpooledEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private long _buffered;

    public ArchiveSpool(IContentStore store, string archive)
    {
        _store = store;
        Archive = archive;
    }

    /// <summary>The archive's path, for messages.</summary>
    public string Archive { get; }

    /// <summary>Loads an entry that is not spooled yet on demand (a layout directory); null: everything was spooled up front (a tar).</summary>
    public Func<string, CancellationToken, Task>? Loader { get; set; }

    public bool Contains(string name) => _entries.ContainsKey(name) || _links.ContainsKey(name);

    /// <summary>Records a symbolic or hard link: <paramref name="name"/> reads as <paramref name="target"/> (both entry names inside the archive).</summary>
    public void AddLink(string name, string target)
    {
        EnsureNew(name);
        _links[name] = target;
    }

    /// <summary>Reads <paramref name="size"/> bytes of <paramref name="data"/> as the entry <paramref name="name"/>; fewer is ArchiveTruncated.</summary>
    public async Task AddAsync(string name, Stream data, long size, CancellationToken cancellationToken)
    {
        EnsureNew(name);
        var control = ControlFiles.Contains(name);
        if (control && size > ManifestParser.MaxManifestSize)
        {
            throw ArchiveErrors.Invalid(Archive, $"{name} is {size} bytes, more than the {ManifestParser.MaxManifestSize} allowed");
        }
        var claimed = ClaimedDigest(name);
        IContentWriter? writer = null;
        if (!control)
        {
            var reference = $"archive-import:{_id}:{name}";
            writer = await ContentHelpers.OpenWriterAsync(_store, reference, size, claimed, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var (digest, body, gzip) = await CopyAsync(name, data, size, claimed?.Algorithm ?? Digest.Sha256, writer, control, cancellationToken).ConfigureAwait(false);
            if (claimed is not null && digest != claimed)
            {
                throw new FailedPreconditionException(
                    $"{Archive}: entry {name} should hold {claimed} but its content hashes to {digest}", ErrorIds.DigestMismatch) { Target = claimed.ToString() };
            }
            _entries[name] = new SpooledEntry { Name = name, Size = size, Digest = digest, Writer = writer, Body = body, IsGzip = gzip };
        }
        catch
        {
            if (writer is not null) await AbortAsync(writer).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The entry <paramref name="name"/> reads as (links followed), loading it when a loader is set; null when the archive has none.</summary>
    public async Task<SpooledEntry?> GetAsync(string name, CancellationToken cancellationToken)
    {
        for (var hops = 0; hops <= MaxLinkHops; hops++)
        {
            if (_links.TryGetValue(name, out var target))
            {
                name = target;
                continue;
            }
            if (!_entries.ContainsKey(name) && Loader is not null)
            {
                await Loader(name, cancellationToken).ConfigureAwait(false);
                if (_links.ContainsKey(name)) continue;
            }
            return _entries.GetValueOrDefault(name);
        }
        throw ArchiveErrors.Invalid(Archive, $"entry {name}: more than {MaxLinkHops} links in a row");
    }

    /// <summary>The entry holding blob <paramref name="digest"/> (<c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>), or null.</summary>
    public Task<SpooledEntry?> GetBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        digest.IsStorable ? GetAsync(digest.RelativeBlobPath, cancellationToken) : Task.FromResult<SpooledEntry?>(null);

    /// <summary>Commits the entry as <paramref name="expected"/>; false when the store had it already.</summary>
    public async Task<bool> CommitAsync(SpooledEntry entry, Descriptor expected, CancellationToken cancellationToken)
    {
        if (entry.Committed || entry.Writer is null) return false;
        try
        {
            await entry.Writer.CommitAsync(expected.Size, expected.Digest, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (Errors.IsAlreadyExists(ex))
        {
            return false;
        }
        finally
        {
            entry.Committed = true;
            await entry.Writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in _entries.Values)
        {
            if (entry.Writer is not null && !entry.Committed) await AbortAsync(entry.Writer).ConfigureAwait(false);
        }
        _entries.Clear();
    }

    private void EnsureNew(string name)
    {
        if (Contains(name)) throw ArchiveErrors.Invalid(Archive, $"the entry {name} appears twice");
    }

    private static Digest? ClaimedDigest(string name)
    {
        var parts = name.Split('/');
        return parts.Length == 3 && parts[0] == ImageLayout.BlobsDirectoryName
            && Digest.TryParse(parts[1] + ":" + parts[2], out var digest) && digest.IsStorable
            ? digest
            : null;
    }

    private async Task<(Digest Digest, byte[]? Body, bool Gzip)> CopyAsync(
        string name, Stream data, long size, string algorithm, IContentWriter? writer, bool control, CancellationToken cancellationToken)
    {
        using var digester = writer is null ? new Digester(algorithm) : null;
        MemoryStream? body = null;
        var gzip = false;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long copied = 0;
        try
        {
            while (copied < size)
            {
                var read = await data.ReadAsync(buffer.AsMemory(0, (int)Math.Min(CopyBufferSize, size - copied)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw ArchiveErrors.Truncated(Archive, $"entry {name} ends after {copied} of the {size} bytes its header says");
                }
                if (copied == 0)
                {
                    gzip = read >= 2 && buffer[0] == 0x1f && buffer[1] == 0x8b;
                    if (control || (size <= ManifestParser.MaxManifestSize && buffer[0] is (byte)'{' or (byte)'['))
                    {
                        Reserve(name, size);
                        body = new MemoryStream((int)size);
                    }
                }
                var chunk = buffer.AsMemory(0, read);
                body?.Write(chunk.Span);
                if (writer is not null) await writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                else digester!.Append(chunk.Span);
                copied += read;
            }
        }
        catch (EndOfStreamException ex)
        {
            throw ArchiveErrors.Truncated(Archive, $"entry {name} ends after {copied} of the {size} bytes its header says", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var digest = writer?.Digest ?? digester!.Finish();
        return (digest, body?.ToArray() ?? (size == 0 && control ? [] : null), gzip);
    }

    private void Reserve(string name, long size)
    {
        _buffered += size;
        if (_buffered > MaxBufferedBytes)
        {
            throw new ResourceExhaustedException(
                $"{Archive}: its JSON entries exceed {MaxBufferedBytes} bytes in all (at {name}); this is not an image archive of a sane size",
                ErrorIds.ManifestTooLarge) { Target = Archive };
        }
    }

    private async Task AbortAsync(IContentWriter writer)
    {
        var reference = writer.Ref;
        await writer.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _store.AbortAsync(reference).ConfigureAwait(false);
        }
        catch (Exception ex) when (Errors.IsNotFound(ex))
        {
            // Nothing was left behind.
        }
    }
}
