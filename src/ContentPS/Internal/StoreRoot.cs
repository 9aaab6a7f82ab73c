using System.Management.Automation;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Internal;

/// <summary>
/// Turns a <c>-Store</c> argument into the file-system folder of the store: a PowerShell path (relative
/// to the current location) of the FileSystem provider, or the default root when none is given.
/// Anything else is InvalidArgument (<c>InvalidPath</c>) with the argument as target.
/// </summary>
internal static class StoreRoot
{
    public static string Resolve(SessionState sessionState, string? store)
    {
        if (string.IsNullOrEmpty(store))
        {
            return StoreLocation.DefaultRoot();
        }

        try
        {
            string path = sessionState.Path.GetUnresolvedProviderPathFromPSPath(store, out ProviderInfo provider, out _);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                throw new InvalidArgumentException($"-Store {store}: a store is a file-system folder, not a {provider.Name} path", ErrorIds.InvalidPath) { Target = store };
            }

            return path;
        }
        catch (Exception ex) when (ex is not ClassifiedException)
        {
            throw new InvalidArgumentException($"-Store {store}: {ex.Message}", ErrorIds.InvalidPath, ex) { Target = store };
        }
    }
}
