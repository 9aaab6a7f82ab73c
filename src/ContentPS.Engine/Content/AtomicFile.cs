namespace ContentPS.Engine.Content;

/// <summary>Whole-file replacement that readers never see torn: write a temp file, fsync, rename, fsync the directory.</summary>
public static class AtomicFile
{
    public static Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        WriteAllBytesAsync(path, content, SyncDirectory, cancellationToken);

    /// <summary>As above, with the directory sync left to <paramref name="syncDirectory"/> (which may defer it: see DirectorySyncs).</summary>
    internal static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, Action<string> syncDirectory, CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            syncDirectory(directory);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Makes a rename in <paramref name="directory"/> durable (a no-op on Windows, where NTFS journals renames).</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        // .NET refuses to open a directory as a file, so ask libc directly.
        var fd = UnixFile.Open(directory, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try
        {
            UnixFile.Fsync(fd);
        }
        finally
        {
            UnixFile.Close(fd);
        }
    }
}
