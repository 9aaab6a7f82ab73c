using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>Writes the ready-made layout scenarios into a directory and says what was written.</summary>
public static class ImageLayouts
{
    public static readonly IReadOnlyList<string> MultiPlatforms = ["linux/amd64", "linux/arm64/v8", "linux/arm/v7"];

    public const string AttestationPlatform = "unknown/unknown";

    public static LayoutResult Create(LayoutScenario scenario, string directory, LayoutOptions? options = null)
    {
        options ??= new LayoutOptions();
        var builder = new ImageLayoutBuilder(directory);
        var layerCount = options.LayerCount ?? (scenario == LayoutScenario.Layers ? 1 : 2);
        var layerSize = options.LayerSize ?? (scenario == LayoutScenario.Layers ? 1L << 20 : 4096);
        var seed = options.Seed;
        var top = scenario switch
        {
            LayoutScenario.SinglePlatform or LayoutScenario.Layers => builder.AddImage("linux/amd64", layerCount, layerSize, seed),
            LayoutScenario.MultiPlatform => MultiPlatform(builder, layerCount, layerSize, seed, docker: false),
            LayoutScenario.DockerMultiPlatform => MultiPlatform(builder, layerCount, layerSize, seed, docker: true),
            LayoutScenario.NestedIndex => NestedIndex(builder, layerCount, layerSize, seed),
            LayoutScenario.Artifact => Artifact(builder, layerCount, layerSize, seed, options.RefName),
            LayoutScenario.ForeignLayer => ForeignLayerScenario.Build(builder, layerCount, layerSize, seed),
            _ when UnpackScenarios.Handles(scenario) => UnpackScenarios.Build(scenario, builder),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Unknown layout scenario."),
        };
        builder.Tag(top, options.RefName);
        builder.Save();
        return builder.ToResult(scenario.ToString(), options.RefName);
    }

    /// <summary>Parses a CLI or PowerShell scenario name: the enum name or a short alias (single, multi, docker, nested, artifact, layers, foreign), case-insensitive.</summary>
    public static LayoutScenario ParseScenario(string name) => name.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal) switch
    {
        "single" or "singleplatform" => LayoutScenario.SinglePlatform,
        "multi" or "multiplatform" => LayoutScenario.MultiPlatform,
        "docker" or "dockermulti" or "dockermultiplatform" => LayoutScenario.DockerMultiPlatform,
        "nested" or "nestedindex" => LayoutScenario.NestedIndex,
        "artifact" => LayoutScenario.Artifact,
        "layers" => LayoutScenario.Layers,
        "foreign" or "foreignlayer" => LayoutScenario.ForeignLayer,
        var other when Enum.TryParse<LayoutScenario>(other, ignoreCase: true, out var named) => named,
        _ => throw new ArgumentException(
            $"Unknown layout scenario '{name}'. Use one of: {string.Join(", ", Enum.GetNames<LayoutScenario>())}.", nameof(name)),
    };

    private static LayoutBlob MultiPlatform(ImageLayoutBuilder builder, int layerCount, long layerSize, long seed, bool docker)
    {
        var manifests = MultiPlatforms
            .Select((platform, i) => builder.AddImage(platform, layerCount, layerSize, seed * 10 + i, docker))
            .ToList();
        if (!docker)
        {
            manifests.Add(builder.AddAttestation(manifests[0]));
        }

        return builder.AddIndex(manifests, docker);
    }

    private static LayoutBlob NestedIndex(ImageLayoutBuilder builder, int layerCount, long layerSize, long seed)
    {
        var inner = builder.AddIndex(
        [
            builder.AddImage("linux/amd64", layerCount, layerSize, seed * 10),
            builder.AddImage("linux/arm64/v8", layerCount, layerSize, seed * 10 + 1),
        ]);
        var riscv = builder.AddImage("linux/riscv64", layerCount, layerSize, seed * 10 + 2);
        return builder.AddIndex([inner, riscv]);
    }

    private static LayoutBlob Artifact(ImageLayoutBuilder builder, int layerCount, long layerSize, long seed, string refName)
    {
        var subject = builder.AddImage("linux/amd64", layerCount, layerSize, seed);
        builder.Tag(subject, refName + "-subject");
        var sbom = Encoding.UTF8.GetBytes(
            $"{{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"contentps-fixture\",\"describes\":\"{subject.Digest}\"}}");
        return builder.AddArtifact(subject, sbom);
    }
}
