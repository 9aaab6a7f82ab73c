using System.Formats.Tar;

namespace ContentPS.Engine.Archives;

/// <summary>
/// A tar file written as the blobs are read: each blob's header, then its bytes copied from the store, so
/// memory does not grow with the archive and nothing is staged. Entries are ustar (PAX for a blob over
/// ustar's 8 GiB), mode 0644 (folders 0755), owner 0:0 and the Unix epoch as time, so the same content gives
/// the same archive. Written to a temporary file beside the target and renamed into place.
/// </summary>
internal sealed class TarArchiveTarget : IArchiveTarget
{
    private const long UstarMaxSize = 8L * 1024 * 1024 * 1024 - 1;
    private const UnixFileMode FileMode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode DirectoryMode755 = FileMode644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly string _full;
    private readonly string _temp;
    private readonly FileStream _file;
    private readonly TarWriter _writer;
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private bool _committed;

    public TarArchiveTarget(string full)
    {
        _full = full;
        _temp = ExportTargetPath.Beside(full, "tmp");
        _file = new FileStream(_temp, System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        _writer = new TarWriter(_file, TarEntryFormat.Ustar, leaveOpen: true);
    }

    public Task WriteFileAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        WriteBlobAsync(name, new MemoryStream(content.ToArray(), writable: false), content.Length, cancellationToken);

    public async Task WriteBlobAsync(string name, Stream content, long size, CancellationToken cancellationToken)
    {
        await WriteParentsAsync(name, cancellationToken).ConfigureAwait(false);
        TarEntry entry = size > UstarMaxSize
            ? new PaxTarEntry(TarEntryType.RegularFile, name)
            : new UstarTarEntry(TarEntryType.RegularFile, name);
        Stamp(entry, FileMode644);
        entry.DataStream = content;
        await _writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        _file.Flush(flushToDisk: true);
        await _file.DisposeAsync().ConfigureAwait(false);
        ExportTargetPath.Replace(_temp, _full, isDirectory: false);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_committed) return;
        try
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The archive is being thrown away; a failed end-of-archive marker does not matter.
        }
        await _file.DisposeAsync().ConfigureAwait(false);
        ExportTargetPath.Remove(_temp);
    }

    private async Task WriteParentsAsync(string name, CancellationToken cancellationToken)
    {
        for (var slash = name.IndexOf('/'); slash > 0; slash = name.IndexOf('/', slash + 1))
        {
            var directory = name[..(slash + 1)];
            if (!_directories.Add(directory)) continue;
            var entry = new UstarTarEntry(TarEntryType.Directory, directory);
            Stamp(entry, DirectoryMode755);
            await _writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Stamp(TarEntry entry, UnixFileMode mode)
    {
        entry.Mode = mode;
        entry.ModificationTime = DateTimeOffset.UnixEpoch;
        entry.Uid = 0;
        entry.Gid = 0;
    }
}
