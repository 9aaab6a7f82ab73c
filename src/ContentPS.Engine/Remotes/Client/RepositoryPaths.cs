using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Remotes.Client;

/// <summary>
/// The API paths below <c>/v2/</c> for one repository. Repository paths, tags and digests are
/// validated by their grammars before they get here, so they need no escaping.
/// </summary>
internal static class RepositoryPaths
{
    public static string Manifest(ImageReference repository, string tagOrDigest) => $"{repository.Path}/manifests/{tagOrDigest}";

    public static string Blob(ImageReference repository, Digest digest) => $"{repository.Path}/blobs/{digest}";

    public static string Uploads(ImageReference repository) => $"{repository.Path}/blobs/uploads/";

    public static string Tags(ImageReference repository) => $"{repository.Path}/tags/list";

    public static string Referrers(ImageReference repository, Digest subject) => $"{repository.Path}/referrers/{subject}";

    /// <summary>What a message or ErrorRecord names: <c>host/repo@digest</c> or <c>host/repo:tag</c>.</summary>
    public static string Target(ImageReference repository, string tagOrDigest) =>
        Digest.TryParse(tagOrDigest, out _) ? $"{repository.FullName}@{tagOrDigest}" : $"{repository.FullName}:{tagOrDigest}";

    public static string Target(ImageReference repository, Digest digest) => $"{repository.FullName}@{digest}";
}
