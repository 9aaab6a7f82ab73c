using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>Which tags a copy writes on a registry destination, and which of them must change.</summary>
internal static class DestinationTags
{
    /// <summary>
    /// The destination's tag (or, when it names neither tag nor digest, the source's tag), then the extra
    /// tags, without duplicates (each validated: <c>InvalidTag</c>). Empty: push by digest.
    /// </summary>
    public static IReadOnlyList<string> For(ImageReference destination, string? sourceTag, IReadOnlyList<string>? extraTags)
    {
        var tags = new List<string>();
        var main = destination.Tag ?? (destination.Digest is null ? sourceTag : null);
        foreach (var tag in (main is null ? [] : new[] { main }).Concat(extraTags ?? []))
        {
            _ = destination.WithTag(tag);
            if (!tags.Contains(tag, StringComparer.Ordinal))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    /// <summary>
    /// The tags that do not name <paramref name="root"/> yet (asked in parallel). A tag that names
    /// another digest is FailedPrecondition (<c>TagConflict</c>) unless <paramref name="force"/>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ToWriteAsync(RegistryClient client, ImageReference destination, IReadOnlyList<string> tags,
        Descriptor root, bool force, CancellationToken cancellationToken)
    {
        var current = await Task.WhenAll(tags.Select(tag => client.TryGetManifestAsync(destination, tag, cancellationToken))).ConfigureAwait(false);
        var toWrite = new List<string>();
        for (int i = 0; i < tags.Count; i++)
        {
            if (current[i] is { } named && named.Digest.Equals(root.Digest))
            {
                continue;
            }

            if (current[i] is { } other && !force)
            {
                var target = destination.WithTag(tags[i]).ToString();
                throw new FailedPreconditionException(
                    $"{target} names {other.Digest}, not {root.Digest}; use Force to move the tag", ErrorIds.TagConflict) { Target = target };
            }

            toWrite.Add(tags[i]);
        }

        return toWrite;
    }
}
