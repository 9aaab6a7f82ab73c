using System.Formats.Tar;
using System.IO.Compression;

namespace ContentPS.Engine.Archives;

/// <summary>
/// Reads a tar (or a gzip-compressed tar, sniffed by its magic bytes 1f 8b) once, front to back, handing
/// every entry to the spool as it comes. Folders and PAX/GNU metadata entries are skipped; a symbolic link
/// is kept as an alias when it stays inside the archive, a hard link likewise (its target is an entry name);
/// devices, FIFOs and links out are ArchiveUnsafeEntry; an archive that ends inside an entry is ArchiveTruncated;
/// bytes that are not a tar are ArchiveInvalid.
/// </summary>
internal static class TarArchiveSource
{
    public static async Task ReadAsync(string path, ArchiveSpool spool, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var opened = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        // Positions in the file, compressed or not: what a progress bar over the file's length needs.
        await using Stream file = progress is null ? opened : new ProgressReadStream(opened, progress.Report);
        var magic = new byte[2];
        var sniffed = await file.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        file.Seek(0, SeekOrigin.Begin);
        Stream stream = sniffed == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
        await using (stream.ConfigureAwait(false))
        {
            var reader = new TarReader(stream, leaveOpen: true);
            await using (reader.ConfigureAwait(false))
            {
                var first = true;
                while (await NextAsync(reader, path, first, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    first = false;
                    await AddAsync(entry, path, spool, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<TarEntry?> NextAsync(TarReader reader, string path, bool first, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException ex) when (first)
        {
            // Shorter than one tar header: a file that never was a tar, more likely than a tar cut in its first header.
            throw ArchiveErrors.Invalid(path, "it is not a tar archive: it is shorter than a tar header", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw ArchiveErrors.Truncated(path, "it ends inside an entry", ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or ArgumentException)
        {
            // A gzip stream cut short also lands here.
            throw ex.Message.Contains("end of", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("truncat", StringComparison.OrdinalIgnoreCase)
                ? ArchiveErrors.Truncated(path, ex.Message, ex)
                : ArchiveErrors.Invalid(path, $"it is not a tar archive: {ex.Message}", ex);
        }
    }

    private static async Task AddAsync(TarEntry entry, string path, ArchiveSpool spool, CancellationToken cancellationToken)
    {
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
            case TarEntryType.GlobalExtendedAttributes:
            case TarEntryType.ExtendedAttributes:
                // Checked anyway: an unsafe name is refused wherever it appears.
                ArchiveEntryNames.Normalize(path, entry.Name);
                return;
            case TarEntryType.RegularFile:
            case TarEntryType.V7RegularFile:
            case TarEntryType.ContiguousFile:
            {
                var name = ArchiveEntryNames.Normalize(path, entry.Name);
                var data = entry.DataStream ?? Stream.Null;
                await spool.AddAsync(name, data, entry.Length, cancellationToken).ConfigureAwait(false);
                return;
            }
            case TarEntryType.SymbolicLink:
            {
                var name = ArchiveEntryNames.Normalize(path, entry.Name);
                spool.AddLink(name, ArchiveEntryNames.ResolveSymlink(path, entry.Name, entry.LinkName));
                return;
            }
            case TarEntryType.HardLink:
            {
                var name = ArchiveEntryNames.Normalize(path, entry.Name);
                spool.AddLink(name, ArchiveEntryNames.Normalize(path, entry.LinkName));
                return;
            }
            default:
                throw ArchiveErrors.Unsafe(path, entry.Name, $"an image archive holds no {entry.EntryType} entries");
        }
    }
}
