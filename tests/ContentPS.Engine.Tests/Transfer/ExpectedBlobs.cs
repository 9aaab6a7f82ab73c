using System.Text.Json;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer;

/// <summary>
/// What a pull of a layout must leave in the store, stated from the layout's own records (kind,
/// platform) and its manifests' JSON: every index; every manifest with its config; the layers of the
/// manifests whose platform is asked for (all with <c>layerPlatforms</c> null); attestations only when asked.
/// </summary>
internal static class ExpectedBlobs
{
    public static SortedSet<string> For(LayoutResult layout, IReadOnlyCollection<string>? layerPlatforms, bool attestations)
    {
        if (layout.Top.Kind == BlobKind.Manifest)
        {
            return Whole(layout, layout.Top);
        }

        var expected = new SortedSet<string>(StringComparer.Ordinal);
        expected.UnionWith(layout.OfKind(BlobKind.Index).Select(b => b.Digest));
        foreach (var manifest in layout.OfKind(BlobKind.Manifest))
        {
            var attestation = manifest.Platform == ImageLayouts.AttestationPlatform;
            if (attestation && !attestations)
            {
                continue;
            }

            if (attestation || layerPlatforms is null || layerPlatforms.Contains(manifest.Platform!))
            {
                expected.UnionWith(Whole(layout, manifest));
            }
            else
            {
                expected.Add(manifest.Digest);
                expected.Add(ConfigOf(layout, manifest));
            }
        }

        return expected;
    }

    public static SortedSet<string> Whole(LayoutResult layout, LayoutBlob manifest)
    {
        using var json = FixtureTools.ReadJson(layout, manifest);
        var set = new SortedSet<string>(StringComparer.Ordinal) { manifest.Digest, ConfigOf(json) };
        set.UnionWith(json.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!));
        return set;
    }

    public static IReadOnlyList<string> LayersOf(LayoutResult layout, LayoutBlob manifest)
    {
        using var json = FixtureTools.ReadJson(layout, manifest);
        return json.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
    }

    private static string ConfigOf(LayoutResult layout, LayoutBlob manifest)
    {
        using var json = FixtureTools.ReadJson(layout, manifest);
        return ConfigOf(json);
    }

    private static string ConfigOf(JsonDocument manifest) => manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
}
