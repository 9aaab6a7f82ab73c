using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Remotes.Client;

/// <summary>Which of the repositories a blob is known to come from can be mounted from, into a repository.</summary>
internal static class MountSources
{
    /// <summary>
    /// The repository paths in <paramref name="candidates"/> that live on the same registry as
    /// <paramref name="repository"/>, in order, without duplicates or the repository itself. An
    /// entry is a full name (<c>registry.example/team/app</c>) when its first element looks like
    /// a host (has '.' or ':', or is <c>localhost</c>), as a containerd
    /// <c>containerd.io/distribution.source.&lt;host&gt;</c> label value is a path on that host
    /// (<c>team/app</c>) and is taken as a path of this registry. Entries that do not parse are skipped.
    /// </summary>
    public static IReadOnlyList<string> SameRegistry(IReadOnlyCollection<string>? candidates, ImageReference repository)
    {
        var paths = new List<string>();
        foreach (var candidate in candidates ?? [])
        {
            if (string.IsNullOrWhiteSpace(candidate))
            {
                continue;
            }

            var text = candidate.Trim();
            var full = LooksLikeHost(text) ? text : $"{repository.Domain}/{text}";
            if (!ImageReference.TryParse(full, out var parsed, out _)
                || !string.Equals(parsed.Domain, repository.Domain, StringComparison.OrdinalIgnoreCase)
                || parsed.Path == repository.Path
                || paths.Contains(parsed.Path))
            {
                continue;
            }

            paths.Add(parsed.Path);
        }

        return paths;
    }

    private static bool LooksLikeHost(string name)
    {
        int slash = name.IndexOf('/');
        if (slash < 0)
        {
            return false;
        }

        var first = name[..slash];
        return first == "localhost" || first.AsSpan().IndexOfAny('.', ':') >= 0;
    }
}
