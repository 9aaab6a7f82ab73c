using System.Text.Json;

namespace ContentPS.Engine.Tests.Transfer;

/// <summary>
/// What a pull of a layout entry must leave in the store, read from the layout's files alone (index.json and
/// the JSON blobs under blobs/sha256), neither from the fixture's records nor from the engine. The rules, stated
/// independently of the engine's: every index and every manifest (attestations, platform <c>unknown/unknown</c>,
/// only when asked); every manifest's config; the layers of a root manifest, of a manifest an index lists without
/// a platform, of an attestation that is kept, and of the manifests whose index platform is asked for (all with
/// <see cref="Want.LayerPlatforms"/> null); non-distributable layers only when asked.
/// </summary>
internal sealed class LayoutOracle
{
    private const string Attestation = "unknown/unknown";

    private readonly string _directory;
    private readonly Want _want;
    private readonly SortedSet<string> _expected = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _reachable = new(StringComparer.Ordinal);
    private readonly List<Node> _manifests = [];
    private readonly List<string> _indexes = [];

    private LayoutOracle(string directory, Want want)
    {
        _directory = directory;
        _want = want;
    }

    /// <summary>What is asked for: platforms as the index names them (<c>linux/arm64/v8</c>; null: all).</summary>
    public sealed record Want(IReadOnlyCollection<string>? LayerPlatforms, bool Attestations, bool NonDistributable);

    /// <summary>A manifest of the graph: its media type, digest, index platform (null for a root or unplatformed one), config and layers.</summary>
    public sealed record Node(string MediaType, string Digest, string? Platform, (string MediaType, string Digest) Config, IReadOnlyList<(string MediaType, string Digest)> Layers, bool LayersWanted);

    /// <summary>The digests the pull must leave.</summary>
    public IReadOnlySet<string> Expected => _expected;

    /// <summary>Every digest the graph names, selected or not.</summary>
    public IReadOnlySet<string> Reachable => _reachable;

    /// <summary>Every manifest the graph names (attestations included), in visiting order.</summary>
    public IReadOnlyList<Node> Manifests => _manifests;

    /// <summary>The digests of every index the graph names.</summary>
    public IReadOnlyList<string> Indexes => _indexes;

    public (string MediaType, string Digest) Root { get; private set; }

    public static LayoutOracle Read(string layoutDirectory, string refName, Want want)
    {
        var oracle = new LayoutOracle(layoutDirectory, want);
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layoutDirectory, "index.json")));
        var entry = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(e => e.TryGetProperty("annotations", out var a) && a.TryGetProperty("org.opencontainers.image.ref.name", out var n) && n.GetString() == refName);
        oracle.Root = (entry.GetProperty("mediaType").GetString()!, entry.GetProperty("digest").GetString()!);
        oracle.Visit(oracle.Root.MediaType, oracle.Root.Digest, platform: null, root: true, kept: true);
        return oracle;
    }

    private void Visit(string mediaType, string digest, string? platform, bool root, bool kept)
    {
        _reachable.Add(digest);
        if (kept)
        {
            _expected.Add(digest);
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_directory, "blobs", "sha256", digest["sha256:".Length..])));
        var json = document.RootElement;
        if (json.TryGetProperty("manifests", out var manifests))
        {
            _indexes.Add(digest);
            foreach (var child in manifests.EnumerateArray())
            {
                var childPlatform = child.TryGetProperty("platform", out var p) ? PlatformOf(p) : null;
                var keep = kept && (childPlatform != Attestation || _want.Attestations);
                Visit(child.GetProperty("mediaType").GetString()!, child.GetProperty("digest").GetString()!, childPlatform, root: false, keep);
            }

            return;
        }

        var config = DescriptorOf(json.GetProperty("config"));
        var layers = json.GetProperty("layers").EnumerateArray().Select(DescriptorOf).ToList();
        var wanted = kept && (root || platform is null || _want.LayerPlatforms is null || platform == Attestation || _want.LayerPlatforms.Contains(platform));
        _manifests.Add(new Node(mediaType, digest, platform, config, layers, wanted));
        _reachable.Add(config.Digest);
        _reachable.UnionWith(layers.Select(l => l.Digest));
        if (!kept)
        {
            return;
        }

        _expected.Add(config.Digest);
        if (wanted)
        {
            _expected.UnionWith(layers.Where(l => _want.NonDistributable || !l.MediaType.Contains(".nondistributable.", StringComparison.Ordinal)
                && !l.MediaType.Contains(".foreign.", StringComparison.Ordinal)).Select(l => l.Digest));
        }
    }

    private static string PlatformOf(JsonElement platform)
    {
        var text = platform.GetProperty("os").GetString() + "/" + platform.GetProperty("architecture").GetString();
        return platform.TryGetProperty("variant", out var variant) ? text + "/" + variant.GetString() : text;
    }

    private static (string MediaType, string Digest) DescriptorOf(JsonElement descriptor) =>
        (descriptor.GetProperty("mediaType").GetString()!, descriptor.GetProperty("digest").GetString()!);
}
