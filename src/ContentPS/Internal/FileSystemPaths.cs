using System.Management.Automation;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Internal;

/// <summary>
/// Turns PowerShell path arguments into file-system paths, relative to the current location (not the
/// process directory): <c>-Path</c> with wildcards, <c>-LiteralPath</c> as written, and targets that may not
/// exist yet. A path of another provider is InvalidArgument (<c>InvalidPath</c>); nothing matching is
/// NotFound (<c>PathNotFound</c>); the argument is the target.
/// </summary>
internal static class FileSystemPaths
{
    /// <summary>The file-system path <paramref name="path"/> names, whether or not anything is there.</summary>
    public static string ResolveTarget(SessionState sessionState, string path)
    {
        string resolved;
        ProviderInfo provider;
        try
        {
            resolved = sessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
        }
        catch (Exception ex) when (ex is not ClassifiedException)
        {
            throw new InvalidArgumentException($"{path}: {ex.Message}", ErrorIds.InvalidPath, ex) { Target = path };
        }

        EnsureFileSystem(provider, path);
        return resolved;
    }

    /// <summary>The existing files and folders <paramref name="path"/> names: wildcards expanded unless <paramref name="literal"/>.</summary>
    public static IReadOnlyList<string> ResolveExisting(SessionState sessionState, string path, bool literal)
    {
        if (literal)
        {
            string resolved = ResolveTarget(sessionState, path);
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                throw NotFound(path, null);
            }

            return [resolved];
        }

        try
        {
            var resolved = sessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
            EnsureFileSystem(provider, path);
            return resolved.Count > 0 ? [.. resolved] : throw NotFound(path, null);
        }
        catch (ItemNotFoundException ex)
        {
            throw NotFound(path, ex);
        }
        catch (Exception ex) when (ex is not ClassifiedException)
        {
            throw new InvalidArgumentException($"{path}: {ex.Message}", ErrorIds.InvalidPath, ex) { Target = path };
        }
    }

    private static void EnsureFileSystem(ProviderInfo provider, string path)
    {
        if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
        {
            throw new InvalidArgumentException($"{path} is a {provider.Name} path, not a file-system one", ErrorIds.InvalidPath) { Target = path };
        }
    }

    private static NotFoundException NotFound(string path, Exception? inner) =>
        new($"cannot find {path}: no such file or folder", ErrorIds.PathNotFound, inner) { Target = path };
}
