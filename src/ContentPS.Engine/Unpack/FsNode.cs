namespace ContentPS.Engine.Unpack;

/// <summary>What is at a path, looked at without following a symlink there.</summary>
internal enum FsNodeKind
{
    Missing,
    Directory,
    Symlink,
    /// <summary>A file, device, FIFO or socket.</summary>
    Other,
}

internal static class FsNode
{
    /// <summary>
    /// The kind of <paramref name="path"/> itself. .NET reads attributes with lstat and marks a symlink ReparsePoint
    /// (adding Directory when it points at one), so ReparsePoint is tested first.
    /// </summary>
    public static FsNodeKind Probe(string path)
    {
        var attributes = new FileInfo(path).Attributes;
        if ((int)attributes == -1)
        {
            return FsNodeKind.Missing;
        }

        if (attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            return FsNodeKind.Symlink;
        }

        return attributes.HasFlag(FileAttributes.Directory) ? FsNodeKind.Directory : FsNodeKind.Other;
    }

    /// <summary>Removes <paramref name="path"/> itself, recursively for a real directory; never follows a symlink.</summary>
    public static void Delete(string path)
    {
        switch (Probe(path))
        {
            case FsNodeKind.Directory:
                Directory.Delete(path, recursive: true);
                break;
            case FsNodeKind.Symlink or FsNodeKind.Other:
                File.Delete(path);
                break;
        }
    }
}
