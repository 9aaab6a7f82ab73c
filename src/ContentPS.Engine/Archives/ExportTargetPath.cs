using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Archives;

/// <summary>The target path of an export and the temporary names beside it.</summary>
internal static class ExportTargetPath
{
    /// <summary>The full path; AlreadyExists (<c>ExportTargetExists</c>) when something is there and may not be replaced.</summary>
    public static string Check(string path, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var exists = File.Exists(full) || Directory.Exists(full);
        if (exists && !overwrite)
        {
            throw new AlreadyExistsException($"{full} exists already; remove it or allow the export to replace it", ErrorIds.ExportTargetExists) { Target = full };
        }
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }

    /// <summary>A hidden name beside <paramref name="full"/> that nobody else uses.</summary>
    public static string Beside(string full, string suffix) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.{suffix}");

    /// <summary>Deletes a file or folder at <paramref name="path"/>, if any.</summary>
    public static void Remove(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else if (File.Exists(path)) File.Delete(path);
    }

    /// <summary>Moves <paramref name="temp"/> to <paramref name="full"/>; what was there is moved aside first and deleted after.</summary>
    public static void Replace(string temp, string full, bool isDirectory)
    {
        string? old = null;
        if (File.Exists(full) || Directory.Exists(full))
        {
            old = Beside(full, "old");
            if (Directory.Exists(full)) Directory.Move(full, old);
            else File.Move(full, old);
        }
        if (isDirectory) Directory.Move(temp, full);
        else File.Move(temp, full);
        Content.AtomicFile.SyncDirectory(Path.GetDirectoryName(full)!);
        if (old is not null) Remove(old);
    }
}
