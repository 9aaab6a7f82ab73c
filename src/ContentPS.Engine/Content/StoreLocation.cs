namespace ContentPS.Engine.Content;

/// <summary>Where the store lives when no <c>-Store</c> is given.</summary>
public static class StoreLocation
{
    /// <summary>The environment variable that overrides the default store root.</summary>
    public const string EnvironmentVariable = "CONTENTPS_STORE";

    /// <summary>
    /// <c>$env:CONTENTPS_STORE</c> when set, else the per-user data folder: ~/.local/share/ContentPS/store
    /// (or $XDG_DATA_HOME/ContentPS/store) on Linux, %LOCALAPPDATA%\ContentPS\store on Windows,
    /// ~/Library/Application Support/ContentPS/store on macOS.
    /// </summary>
    public static string DefaultRoot()
    {
        var overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return Path.GetFullPath(overridden);
        }
        return Path.Combine(DataFolder(), "ContentPS", "store");
    }

    private static string DataFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            return Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        if (OperatingSystem.IsMacOS())
        {
            return Path.Combine(home, "Library", "Application Support");
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        // The XDG spec ignores a relative XDG_DATA_HOME.
        return !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg : Path.Combine(home, ".local", "share");
    }
}
