using System.Collections.Concurrent;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer;

/// <summary>
/// Which children of an image graph a pull visits (wraps a children handler, as containerd's
/// FilterManifestByPlatformHandler and LimitManifests do):
/// <list type="bullet">
/// <item>every index and manifest, and every manifest's config, of every platform (metadata is cheap);</item>
/// <item>layers only of the manifests chosen for the layer platforms: in each index, for each platform, the
///   entry that platform runs best (<see cref="Platforms.Only"/> order, first of equals), like
///   <c>LimitManifests(…, 1)</c> per platform;</item>
/// <item>attestation manifests (<see cref="AttestationManifests"/>) only with <c>includeAttestations</c> or
///   <c>allPlatforms</c>, then whole;</item>
/// <item>a root manifest, and a manifest an index lists without a platform, whole;</item>
/// <item><c>allPlatforms</c>: everything.</item>
/// </list>
/// A manifest's children must be its config first, then its layers (the <c>Children</c> handler's order).
/// Thread-safe; one instance per pull.
/// </summary>
public sealed class PullSelection
{
    private readonly IReadOnlyList<Platform> _layerPlatforms;
    private readonly IPlatformMatchComparer[] _matchers;
    private readonly int[] _matched;
    private readonly ConcurrentDictionary<Digest, Descriptor> _chosen = new();
    private readonly ConcurrentDictionary<string, bool> _offered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _withLayers = new(StringComparer.Ordinal);
    private int _sawIndex;

    /// <param name="layerPlatforms">The platforms whose layers are fetched (ignored with <paramref name="allPlatforms"/>); empty: none.</param>
    public PullSelection(IReadOnlyList<Platform> layerPlatforms, bool allPlatforms, bool includeAttestations)
    {
        ArgumentNullException.ThrowIfNull(layerPlatforms);
        _layerPlatforms = layerPlatforms;
        _matchers = layerPlatforms.Select(Platforms.Only).ToArray();
        _matched = new int[_matchers.Length];
        AllPlatforms = allPlatforms;
        IncludeAttestations = includeAttestations || allPlatforms;
    }

    public bool AllPlatforms { get; }

    public bool IncludeAttestations { get; }

    /// <summary>The layer platforms no index of the graph offered (always empty with <see cref="AllPlatforms"/> or when the graph had no index).</summary>
    public IReadOnlyList<Platform> Unmatched =>
        AllPlatforms || Volatile.Read(ref _sawIndex) == 0
            ? []
            : _layerPlatforms.Where((_, i) => Volatile.Read(ref _matched[i]) == 0).ToArray();

    /// <summary>The platforms the indexes of the graph list (attestations left out), for messages.</summary>
    public IReadOnlyList<string> Offered => _offered.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The platforms of the manifests whose layers were selected (those that carry one).</summary>
    public IReadOnlyList<string> PlatformsWithLayers => _withLayers.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary><paramref name="children"/> with the selection applied to what it returns.</summary>
    public ImageHandler Wrap(ImageHandler children)
    {
        ArgumentNullException.ThrowIfNull(children);
        return async (node, cancellationToken) =>
        {
            var result = await children(node, cancellationToken).ConfigureAwait(false);
            return result.Signal == HandlerSignal.Skip ? result : result with { Children = Select(node, result.Children) };
        };
    }

    /// <summary>The children of <paramref name="node"/> the pull visits.</summary>
    public IReadOnlyList<Descriptor> Select(ImageNode node, IReadOnlyList<Descriptor> children)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(children);
        var descriptor = node.Descriptor;
        if (MediaTypes.IsIndex(descriptor.MediaType))
        {
            return SelectFromIndex(children);
        }

        if (MediaTypes.IsManifest(descriptor.MediaType) && children.Count > 1 && !WantsLayers(node))
        {
            return [children[0]];
        }

        return children;
    }

    private IReadOnlyList<Descriptor> SelectFromIndex(IReadOnlyList<Descriptor> children)
    {
        Interlocked.Exchange(ref _sawIndex, 1);
        var kept = IncludeAttestations ? children : children.Where(c => !AttestationManifests.Is(c)).ToList();
        var runnable = children.Where(c => c.Platform is not null && !AttestationManifests.Is(c)).ToList();
        foreach (var candidate in runnable)
        {
            _offered.TryAdd(Platforms.Format(candidate.Platform!), true);
        }

        if (!AllPlatforms)
        {
            for (int i = 0; i < _matchers.Length; i++)
            {
                if (Best(runnable, _matchers[i]) is { } best)
                {
                    _chosen.TryAdd(best.Digest, best);
                    Interlocked.Exchange(ref _matched[i], 1);
                }
            }
        }

        return kept;
    }

    // The first of the entries the matcher prefers (Less), among those it matches: index order breaks ties.
    private static Descriptor? Best(IReadOnlyList<Descriptor> candidates, IPlatformMatchComparer matcher)
    {
        Descriptor? best = null;
        foreach (var candidate in candidates)
        {
            if (matcher.Match(candidate.Platform!) && (best is null || matcher.Less(candidate.Platform!, best.Platform!)))
            {
                best = candidate;
            }
        }

        return best;
    }

    private bool WantsLayers(ImageNode node)
    {
        var descriptor = node.Descriptor;
        var wanted = AllPlatforms
            || node.Parent is null
            || descriptor.Platform is null
            || AttestationManifests.Is(descriptor)
            || _chosen.ContainsKey(descriptor.Digest);
        if (wanted && descriptor.Platform is not null && !AttestationManifests.Is(descriptor))
        {
            _withLayers.TryAdd(Platforms.Format(descriptor.Platform), true);
        }

        return wanted;
    }
}
