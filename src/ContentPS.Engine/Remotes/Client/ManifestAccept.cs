using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Remotes.Client;

/// <summary>The <c>Accept</c> lists of manifest requests.</summary>
internal static class ManifestAccept
{
    /// <summary>
    /// Every index and manifest type this engine reads, then <c>*/*</c> like containerd's resolver:
    /// a registry that knows none of the listed types (or stores another one) still answers with
    /// what it has instead of 404/406, and the media type check on our side decides (schema 1 is
    /// refused by its type, not by a registry that would otherwise convert).
    /// </summary>
    public static IReadOnlyList<string> Any { get; } =
    [
        MediaTypes.OciIndex,
        MediaTypes.OciManifest,
        MediaTypes.DockerManifestList,
        MediaTypes.DockerManifest,
        "*/*",
    ];

    /// <summary><paramref name="mediaType"/> first, then <see cref="Any"/>.</summary>
    public static IReadOnlyList<string> Preferring(string? mediaType)
    {
        var type = MediaTypes.StripParameters(mediaType);
        if (type.Length == 0)
        {
            return Any;
        }

        return [type, .. Any.Where(t => !string.Equals(t, type, StringComparison.OrdinalIgnoreCase))];
    }
}
