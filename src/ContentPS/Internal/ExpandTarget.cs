using ContentPS.Engine.Errdefs;

namespace ContentPS.Internal;

/// <summary>
/// Whether <c>Expand-Image</c> may write into a directory: one that does not exist or is empty, always; one
/// with entries only when forced (AlreadyExists, <c>ExpandTargetNotEmpty</c>, otherwise: existing files are never
/// mixed with an image by accident); a file never (InvalidArgument, <c>InvalidPath</c>).
/// </summary>
internal static class ExpandTarget
{
    public static void EnsureUsable(string path, bool force)
    {
        if (File.Exists(path))
        {
            throw new InvalidArgumentException($"{path} is a file; Expand-Image writes into a directory", ErrorIds.InvalidPath) { Target = path };
        }

        if (!force && Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            string notEmpty = $"{path} is not empty; give -Force to apply the image over what is there, or name a new or empty directory";
            throw new AlreadyExistsException(notEmpty, ErrorIds.ExpandTargetNotEmpty) { Target = path };
        }
    }
}
