using System.Text.Json;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Fixtures;

public sealed class ImageLayoutBuilderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public static TheoryData<LayoutScenario> AllScenarios() => new(Enum.GetValues<LayoutScenario>());

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public void EveryBlobIsStoredUnderItsDigestWithItsSize(LayoutScenario scenario)
    {
        var layout = ImageLayouts.Create(scenario, _temp.Combine("layout"));

        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", File.ReadAllText(Path.Combine(layout.Directory, "oci-layout")));
        foreach (var blob in layout.Blobs)
        {
            var path = FixtureTools.BlobPath(layout, blob);
            Assert.Equal(blob.Digest, FixtureTools.Sha256Of(path));
            Assert.Equal(blob.Size, new FileInfo(path).Length);
        }

        Assert.Equal(layout.Blobs.Count, Directory.GetFiles(Path.Combine(layout.Directory, "blobs", "sha256")).Length);
        Assert.Contains(layout.Digest, layout.Blobs.Select(b => b.Digest));
    }

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public void IndexJsonNamesTheTopLevelBlob(LayoutScenario scenario)
    {
        var layout = ImageLayouts.Create(scenario, _temp.Combine("layout"), new LayoutOptions { RefName = "v1.2" });

        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout.Directory, "index.json")));
        var entry = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(e => e.GetProperty("annotations").GetProperty(LayoutAnnotations.RefName).GetString() == "v1.2");
        Assert.Equal(layout.Digest, entry.GetProperty("digest").GetString());
        Assert.Equal(layout.Size, entry.GetProperty("size").GetInt64());
        Assert.Equal(layout.MediaType, entry.GetProperty("mediaType").GetString());
        Assert.Equal("v1.2", layout.RefName);
    }

    // oci-image-tool 1.0.0-rc1 predates Docker types in layouts, nested indexes, in-toto layers and
    // the empty config, so it validates the whole layout only where it can and every document by schema.
    [Theory]
    [MemberData(nameof(AllScenarios))]
    public async Task OciImageToolValidatesEveryDocument(LayoutScenario scenario)
    {
        var layout = ImageLayouts.Create(scenario, _temp.Combine("layout"));

        foreach (var blob in layout.Blobs)
        {
            var type = blob.Kind switch
            {
                BlobKind.Index => "imageIndex",
                BlobKind.Manifest => "manifest",
                BlobKind.Config when blob.MediaType is LayoutMediaTypes.OciConfig or LayoutMediaTypes.DockerConfig => "config",
                _ => null,
            };
            if (type is not null)
            {
                await FixtureTools.RunAsync("oci-image-tool", "oci-image-tool", "validate", "--type", type, FixtureTools.BlobPath(layout, blob));
            }
        }

        var imageRef = scenario switch
        {
            LayoutScenario.SinglePlatform or LayoutScenario.Layers => layout.RefName,
            LayoutScenario.Artifact => layout.RefName + "-subject",
            _ => null,
        };
        if (imageRef is not null)
        {
            await FixtureTools.RunAsync("oci-image-tool", "oci-image-tool", "validate", "--type", "image", "--ref", "name=" + imageRef, layout.Directory);
        }
    }

    [Fact]
    public async Task UmociUnpacksTheSinglePlatformImage()
    {
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("layout"), new LayoutOptions { LayerCount = 3, LayerSize = 10_000 });
        var bundle = _temp.Combine("bundle");

        await FixtureTools.RunAsync("umoci", "umoci", "unpack", "--rootless", "--image", $"{layout.Directory}:{layout.RefName}", bundle);

        var rootfs = Path.Combine(bundle, "rootfs");
        var layerDirectories = Directory.GetDirectories(rootfs);
        Assert.Equal(3, layerDirectories.Length);
        foreach (var directory in layerDirectories)
        {
            Assert.True(File.Exists(Path.Combine(directory, "README.txt")));
            Assert.Equal(10_000, Directory.GetFiles(directory, "data-*.bin").Sum(f => new FileInfo(f).Length));
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameDigestsAndAnotherSeedDoesNot()
    {
        var first = ImageLayouts.Create(LayoutScenario.MultiPlatform, _temp.Combine("a"), new LayoutOptions { Seed = 7 });
        var again = ImageLayouts.Create(LayoutScenario.MultiPlatform, _temp.Combine("b"), new LayoutOptions { Seed = 7 });
        var other = ImageLayouts.Create(LayoutScenario.MultiPlatform, _temp.Combine("c"), new LayoutOptions { Seed = 8 });

        Assert.Equal(first.Blobs.Select(b => b.Digest), again.Blobs.Select(b => b.Digest));
        Assert.NotEqual(first.Digest, other.Digest);
    }

    [Fact]
    public void SinglePlatformConfigListsTheDiffIdsOfItsLayers()
    {
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("layout"));

        var layers = layout.OfKind(BlobKind.Layer).ToList();
        Assert.Equal(2, layers.Count);
        Assert.All(layers, l => Assert.Equal(LayoutMediaTypes.OciLayerGzip, l.MediaType));
        using var config = FixtureTools.ReadJson(layout, layout.OfKind(BlobKind.Config).Single());
        Assert.Equal("amd64", config.RootElement.GetProperty("architecture").GetString());
        Assert.Equal(layers.Select(l => l.DiffId), config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(LayoutMediaTypes.OciManifest, layout.MediaType);
    }

    [Fact]
    public void MultiPlatformIndexHasThreePlatformsAndABuildKitAttestation()
    {
        var layout = ImageLayouts.Create(LayoutScenario.MultiPlatform, _temp.Combine("layout"));

        using var index = FixtureTools.ReadJson(layout, layout.Top);
        var entries = index.RootElement.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(["linux/amd64", "linux/arm64/v8", "linux/arm/v7", "unknown/unknown"], entries.Select(PlatformOf));
        var amd64 = layout.ManifestFor("linux/amd64");
        var attestation = entries[3];
        Assert.Equal(LayoutMediaTypes.OciManifest, attestation.GetProperty("mediaType").GetString());
        var annotations = attestation.GetProperty("annotations");
        Assert.Equal("attestation-manifest", annotations.GetProperty("vnd.docker.reference.type").GetString());
        Assert.Equal(amd64.Digest, annotations.GetProperty("vnd.docker.reference.digest").GetString());
        Assert.Equal(attestation.GetProperty("digest").GetString(), layout.ManifestFor(ImageLayouts.AttestationPlatform).Digest);
        using var attestationManifest = FixtureTools.ReadJson(layout, layout.ManifestFor(ImageLayouts.AttestationPlatform));
        Assert.Equal(LayoutMediaTypes.InToto, attestationManifest.RootElement.GetProperty("layers")[0].GetProperty("mediaType").GetString());
    }

    [Fact]
    public void DockerMultiPlatformUsesOnlyDockerMediaTypes()
    {
        var layout = ImageLayouts.Create(LayoutScenario.DockerMultiPlatform, _temp.Combine("layout"));

        Assert.Equal(LayoutMediaTypes.DockerManifestList, layout.MediaType);
        Assert.All(layout.Blobs, b => Assert.StartsWith("application/vnd.docker.", b.MediaType, StringComparison.Ordinal));
        Assert.Equal(3, layout.OfKind(BlobKind.Manifest).Count());
        using var list = FixtureTools.ReadJson(layout, layout.Top);
        Assert.Equal(LayoutMediaTypes.DockerManifestList, list.RootElement.GetProperty("mediaType").GetString());
        Assert.Equal(["linux/amd64", "linux/arm64/v8", "linux/arm/v7"], list.RootElement.GetProperty("manifests").EnumerateArray().Select(PlatformOf));
    }

    [Fact]
    public void NestedIndexContainsAnIndex()
    {
        var layout = ImageLayouts.Create(LayoutScenario.NestedIndex, _temp.Combine("layout"));

        using var outer = FixtureTools.ReadJson(layout, layout.Top);
        var entries = outer.RootElement.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal([LayoutMediaTypes.OciIndex, LayoutMediaTypes.OciManifest], entries.Select(e => e.GetProperty("mediaType").GetString()));
        var inner = layout.OfKind(BlobKind.Index).Single(b => b.Digest != layout.Digest);
        Assert.Equal(inner.Digest, entries[0].GetProperty("digest").GetString());
    }

    [Fact]
    public void ArtifactHasArtifactTypeEmptyConfigAndSubject()
    {
        var layout = ImageLayouts.Create(LayoutScenario.Artifact, _temp.Combine("layout"));

        Assert.Equal(LayoutMediaTypes.ExampleSbomArtifact, layout.Top.ArtifactType);
        using var manifest = FixtureTools.ReadJson(layout, layout.Top);
        var root = manifest.RootElement;
        Assert.Equal(LayoutMediaTypes.ExampleSbomArtifact, root.GetProperty("artifactType").GetString());
        var config = root.GetProperty("config");
        Assert.Equal(LayoutMediaTypes.OciEmpty, config.GetProperty("mediaType").GetString());
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", config.GetProperty("digest").GetString());
        Assert.Equal(2, config.GetProperty("size").GetInt64());
        Assert.Equal("{}", File.ReadAllText(Path.Combine(layout.Directory, "blobs", "sha256", "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")));
        Assert.Single(root.GetProperty("layers").EnumerateArray());
        var subject = layout.Tags[layout.RefName + "-subject"];
        Assert.Equal(subject.Digest, root.GetProperty("subject").GetProperty("digest").GetString());
        Assert.Equal(subject.Size, root.GetProperty("subject").GetProperty("size").GetInt64());
    }

    [Fact]
    public void LayersScenarioHonoursCountAndSize()
    {
        var layout = ImageLayouts.Create(LayoutScenario.Layers, _temp.Combine("layout"), new LayoutOptions { LayerCount = 3, LayerSize = 300_000 });

        var layers = layout.OfKind(BlobKind.Layer).ToList();
        Assert.Equal(3, layers.Count);
        // Pseudo-random data does not compress: each gzip layer is at least its data size.
        Assert.All(layers, l => Assert.True(l.Size >= 300_000, $"{l.Digest} is {l.Size} bytes"));
        Assert.Equal(3, layers.Select(l => l.Digest).Distinct().Count());
    }

    [Fact]
    public void TheDefaultLayersScenarioIsOneMebibyteLayer()
    {
        var layout = ImageLayouts.Create(LayoutScenario.Layers, _temp.Combine("layout"));

        var layer = Assert.Single(layout.OfKind(BlobKind.Layer));
        Assert.InRange(layer.Size, 1L << 20, (1L << 20) + 64 * 1024);
    }

    [Theory]
    [InlineData("single", LayoutScenario.SinglePlatform)]
    [InlineData("multi", LayoutScenario.MultiPlatform)]
    [InlineData("docker", LayoutScenario.DockerMultiPlatform)]
    [InlineData("Nested-Index", LayoutScenario.NestedIndex)]
    [InlineData("artifact", LayoutScenario.Artifact)]
    [InlineData("Layers", LayoutScenario.Layers)]
    public void ScenarioNamesParse(string name, LayoutScenario expected) => Assert.Equal(expected, ImageLayouts.ParseScenario(name));

    private static string PlatformOf(JsonElement entry)
    {
        var platform = entry.GetProperty("platform");
        var text = platform.GetProperty("os").GetString() + "/" + platform.GetProperty("architecture").GetString();
        return platform.TryGetProperty("variant", out var variant) ? text + "/" + variant.GetString() : text;
    }
}
