namespace ContentPS.Internal;

/// <summary>
/// How a <c>-Source</c> or <c>-Destination</c> argument names the local content store rather than a
/// registry: the prefix <c>store:</c>, like a PowerShell drive, followed by an image record name
/// (<c>store:demo/app:1.0</c>); <c>store:</c> alone names the store without a record name (the
/// destination then takes the source's name). Which store is <c>-Store</c>'s (default:
/// <c>$env:CONTENTPS_STORE</c>, else the per-user store). No reference can start with <c>store:</c>
/// and mean anything else except a Docker Hub image called <c>store</c>, which is written in full
/// (<c>docker.io/library/store:tag</c>). Everything else is a registry reference. The word is
/// <c>Copy-Blob</c>'s (<see cref="BlobCopyEndpoint.StoreWord"/>), where no record name follows it.
/// </summary>
internal static class StoreLocationSyntax
{
    public const string Prefix = BlobCopyEndpoint.StoreWord;

    /// <summary>True when <paramref name="text"/> names the store; <paramref name="name"/> is what follows the prefix (maybe empty).</summary>
    public static bool TryParse(string? text, out string name)
    {
        if (text is not null && text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            name = text[Prefix.Length..];
            return true;
        }

        name = "";
        return false;
    }

    /// <summary>How an image record of the store is written as a location.</summary>
    public static string Format(string name) => Prefix + name;
}
