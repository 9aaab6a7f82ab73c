using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Handlers;

public static partial class ImageHandlers
{
    /// <summary>
    /// containerd's <c>FilterPlatforms</c>: runs <paramref name="handler"/> and keeps only the children
    /// whose platform <paramref name="matcher"/> matches. Children without a platform (nested indexes,
    /// configs, layers, and manifests an index lists without one) are kept. The handler's signal is passed on.
    /// </summary>
    public static ImageHandler FilterPlatforms(ImageHandler handler, IPlatformMatcher matcher)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(matcher);
        return async (node, cancellationToken) =>
        {
            var result = await handler(node, cancellationToken).ConfigureAwait(false);
            var children = ChildrenOf(result);
            if (children.All(child => child.Platform is null || matcher.Match(child.Platform)))
            {
                return result;
            }
            return result with { Children = children.Where(child => child.Platform is null || matcher.Match(child.Platform)).ToList() };
        };
    }

    /// <summary>
    /// containerd's <c>LimitManifests</c>: for an index (OCI or Docker list), orders
    /// <paramref name="handler"/>'s children by <paramref name="comparer"/> preference (stable; children
    /// without a platform last) and, when <paramref name="limit"/> &gt; 0, keeps the first
    /// <paramref name="limit"/>; an index left with no children then is NotFound (<c>PlatformNotFound</c>).
    /// Children of anything else pass unchanged. Meant to run over <see cref="FilterPlatforms"/>.
    /// </summary>
    public static ImageHandler LimitManifests(ImageHandler handler, IPlatformMatchComparer comparer, int limit)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(comparer);
        return async (node, cancellationToken) =>
        {
            var result = await handler(node, cancellationToken).ConfigureAwait(false);
            if (result.Signal == HandlerSignal.Skip || !MediaTypes.IsIndex(node.Descriptor.MediaType))
            {
                return result;
            }
            var children = SortByPreference(ChildrenOf(result), comparer);
            if (limit > 0)
            {
                if (children.Count == 0)
                {
                    throw new NotFoundException(
                        $"no manifest of index {node.Descriptor.Digest} matches the platforms asked for", ErrorIds.PlatformNotFound)
                    { Target = node.Descriptor.Digest.ToString() };
                }
                if (children.Count > limit)
                {
                    children.RemoveRange(limit, children.Count - limit);
                }
            }
            return result with { Children = children };
        };
    }

    /// <summary>A stable insertion sort by <see cref="IPlatformMatchComparer.Less"/>; a platform-less descriptor is never preferred.</summary>
    private static List<Descriptor> SortByPreference(IReadOnlyList<Descriptor> children, IPlatformMatchComparer comparer)
    {
        var sorted = new List<Descriptor>(children.Count);
        foreach (var child in children)
        {
            var at = sorted.Count;
            while (at > 0 && Prefers(comparer, child, sorted[at - 1]))
            {
                at--;
            }
            sorted.Insert(at, child);
        }
        return sorted;
    }

    private static bool Prefers(IPlatformMatchComparer comparer, Descriptor a, Descriptor b) =>
        a.Platform is not null && (b.Platform is null || comparer.Less(a.Platform, b.Platform));
}
