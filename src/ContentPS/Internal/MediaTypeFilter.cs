using System.Management.Automation;
using ContentPS.Engine.Oci;
using ContentPS.Formatting;

namespace ContentPS.Internal;

/// <summary>
/// <c>-MediaType</c> patterns (wildcards, case-insensitive). A media type matches a pattern by any of its names: the
/// full type without parameters (<c>application/vnd.oci.image.layer.v1.tar+gzip</c>), its short display name
/// (<c>layer.gzip</c>, <c>oci.manifest</c>, <c>docker.layer.gzip</c>), that name without its <c>oci.</c>/<c>docker.</c>
/// family (<c>manifest</c>, <c>list</c>, <c>layer.gzip</c>), and its category: <c>index</c> (OCI index, Docker list),
/// <c>manifest</c>, <c>config</c> (image configs) or <c>layer</c> (every filesystem layer). So <c>layer*</c> is every layer.
/// </summary>
internal sealed class MediaTypeFilter
{
    private static readonly string[] Families = ["oci.", "docker."];

    private readonly WildcardPattern[] _patterns;

    public MediaTypeFilter(IEnumerable<string> patterns)
    {
        _patterns = patterns.Select(pattern => WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();
    }

    public bool Matches(string mediaType) => NamesOf(mediaType).Any(name => _patterns.Any(pattern => pattern.IsMatch(name)));

    /// <summary>Every name <paramref name="mediaType"/> answers to.</summary>
    public static IEnumerable<string> NamesOf(string mediaType)
    {
        yield return MediaTypes.StripParameters(mediaType);
        string shortName = DisplayText.MediaType(mediaType);
        yield return shortName;
        foreach (string family in Families.Where(family => shortName.StartsWith(family, StringComparison.OrdinalIgnoreCase)))
        {
            yield return shortName[family.Length..];
        }

        if (Category(mediaType) is { } category)
        {
            yield return category;
        }
    }

    private static string? Category(string mediaType) =>
        MediaTypes.IsIndex(mediaType) ? "index"
        : MediaTypes.IsManifest(mediaType) ? "manifest"
        : MediaTypes.IsConfig(mediaType) ? "config"
        : MediaTypes.IsLayer(mediaType) ? "layer"
        : null;
}
