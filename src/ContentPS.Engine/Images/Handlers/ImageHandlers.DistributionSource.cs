using System.Text;
using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Handlers;

public static partial class ImageHandlers
{
    /// <summary>
    /// containerd's <c>AppendDistributionSourceLabel</c>: a handler (no children) that adds
    /// <paramref name="repository"/> to the handled blob's <c>containerd.io/distribution.source.&lt;host&gt;</c>
    /// label in <paramref name="store"/>, a comma-separated, ordinally sorted list without duplicates, so
    /// a later push to the same registry can mount the blob instead of uploading it. As containerd, the
    /// host is the registry's host name without its port. A value that would break the label size limit
    /// is left as it was. The blob must be committed (NotFound otherwise).
    /// </summary>
    public static ImageHandler DistributionSource(IContentManager store, string registryHost, string repository)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(registryHost);
        ArgumentException.ThrowIfNullOrEmpty(repository);
        var key = DistributionSourceKey(registryHost);
        return async (node, cancellationToken) =>
        {
            var info = await store.InfoAsync(node.Descriptor.Digest, cancellationToken).ConfigureAwait(false);
            var existing = info.Labels.TryGetValue(key, out var value) ? value : null;
            var merged = AppendRepository(existing, repository);
            if (merged == existing || !FitsLabelLimit(key, merged))
            {
                return HandlerResult.None;
            }
            var update = info with { Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [key] = merged } };
            await store.UpdateAsync(update, ["labels." + key], cancellationToken).ConfigureAwait(false);
            return HandlerResult.None;
        };
    }

    /// <summary>The same, for the registry and repository of <paramref name="reference"/>.</summary>
    public static ImageHandler DistributionSource(IContentManager store, ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return DistributionSource(store, reference.Domain, reference.Path);
    }

    /// <summary>The label key for a registry host: <c>containerd.io/distribution.source.&lt;host name without port&gt;</c>.</summary>
    public static string DistributionSourceKey(string registryHost)
    {
        ArgumentException.ThrowIfNullOrEmpty(registryHost);
        return ContentLabels.DistributionSourcePrefix + HostName(registryHost);
    }

    /// <summary><paramref name="existing"/>'s repositories plus <paramref name="repository"/>, ordinally sorted, unique, empty entries dropped.</summary>
    public static string AppendRepository(string? existing, string repository)
    {
        var repositories = new SortedSet<string>(StringComparer.Ordinal) { repository };
        if (!string.IsNullOrEmpty(existing))
        {
            repositories.UnionWith(existing.Split(','));
        }
        repositories.Remove("");
        return string.Join(',', repositories);
    }

    private static string HostName(string host)
    {
        // As Go's url.Hostname(): "[::1]:5000" → "::1", "host:5000" → "host".
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            return close > 0 ? host[1..close] : host;
        }
        var colon = host.IndexOf(':');
        return colon < 0 ? host : host[..colon];
    }

    private static bool FitsLabelLimit(string key, string value) =>
        Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value) <= LabelValidation.MaxSize;
}
