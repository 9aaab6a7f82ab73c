using System.Text.Json;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Client;
using ContentPS.Engine.Transfer;
using ContentPS.TestFixtures;
using Selection = ContentPS.Engine.Tests.Transfer.ImagePullTests.Selection;

namespace ContentPS.Engine.Tests.Transfer;

/// <summary>
/// Every fixture image pulled with every platform selection leaves exactly the blobs <see cref="LayoutOracle"/>
/// reads off the layout's files, each intact, no ingest, and a store the OCI tools accept: oci-image-tool
/// validates what it can (see <see cref="AssertOciImageToolAcceptsAsync"/>) and <c>skopeo copy oci:&lt;store&gt;:&lt;name&gt;</c>
/// reproduces the same digests.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class PulledStoreInteropTests(SharedRegistry shared) : ProxiedStoreTests(shared)
{
    private const string RecordName = "interop:v1";
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string OciConfig = "application/vnd.oci.image.config.v1+json";
    private const string AttestationPlatform = "unknown/unknown";

    public static TheoryData<LayoutScenario, Selection, bool> Cases()
    {
        var data = new TheoryData<LayoutScenario, Selection, bool>();
        LayoutScenario[] scenarios = [LayoutScenario.SinglePlatform, LayoutScenario.MultiPlatform, LayoutScenario.DockerMultiPlatform, LayoutScenario.NestedIndex, LayoutScenario.Artifact, LayoutScenario.ForeignLayer];
        foreach (var scenario in scenarios)
        {
            foreach (var selection in Enum.GetValues<Selection>())
            {
                // The nested index has no linux/arm/v7 (ImagePullTests: PlatformNotFound).
                if (!(scenario == LayoutScenario.NestedIndex && selection == Selection.ArmV7))
                {
                    data.Add(scenario, selection, false);
                }
            }
        }

        data.Add(LayoutScenario.ForeignLayer, Selection.Default, true);
        data.Add(LayoutScenario.ForeignLayer, Selection.Arm64AndAmd64, true);
        data.Add(LayoutScenario.ForeignLayer, Selection.All, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task APullLeavesExactlyTheSelectedBlobsAndTheOciToolsReadTheStore(LayoutScenario scenario, Selection selection, bool includeNonDistributable)
    {
        var pushed = await PushedLayouts.GetAsync(Registry, scenario);
        var (platforms, layerPlatforms) = selection switch
        {
            Selection.Default => ((IReadOnlyList<Platform>?)null, (IReadOnlyCollection<string>?)["linux/amd64"]),
            Selection.ArmV7 => ([Platforms.Parse("linux/arm/v7")], ["linux/arm/v7"]),
            Selection.Arm64AndAmd64 => ([Platforms.Parse("linux/arm64"), Platforms.Parse("linux/amd64")], ["linux/arm64/v8", "linux/amd64"]),
            _ => (null, null),
        };
        using var host = Platforms.OverrideDefault(Platforms.Parse("linux/amd64"));

        var result = await ImagePull.PullAsync(new PullRequest
        {
            Reference = ImageReference.Parse($"{Proxy.Host}/{pushed.Repository}:{PushedLayouts.Tag}"),
            Store = Store,
            Client = Client.Client,
            Name = RecordName,
            Platforms = platforms,
            AllPlatforms = selection == Selection.All,
            IncludeNonDistributable = includeNonDistributable,
        });

        var oracle = LayoutOracle.Read(pushed.Layout.Directory, pushed.Layout.RefName,
            new LayoutOracle.Want(layerPlatforms, Attestations: selection == Selection.All, includeNonDistributable));
        var stored = StoredBlobs();
        Assert.Equal(oracle.Expected.ToList(), stored.Keys.ToList());
        Assert.All(stored, blob => Assert.Equal(blob.Key, FixtureTools.Sha256Of(blob.Value)));
        Assert.Equal(oracle.Root.Digest, result.Root.Digest.ToString());
        Assert.Empty(await Store.ListStatusesAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Store.Root, "ingest")));

        if (scenario != LayoutScenario.DockerMultiPlatform)
        {
            var images = await AssertOciImageToolAcceptsAsync(oracle);
            var complete = scenario is not (LayoutScenario.Artifact or LayoutScenario.ForeignLayer) || includeNonDistributable;
            Assert.True(!complete || images > 0, "oci-image-tool validated no image of the pulled store");
        }

        // skopeo 1.9's oci: transport finds only OCI-typed index.json entries (a Docker list is "no descriptor
        // found") and copies no nested index; it must read every layer, and a default pull leaves foreign ones out.
        if (scenario is not (LayoutScenario.DockerMultiPlatform or LayoutScenario.NestedIndex) && (scenario != LayoutScenario.ForeignLayer || includeNonDistributable))
        {
            await AssertSkopeoReproducesAsync(oracle, selection);
        }
    }

    /// <summary>
    /// oci-image-tool 1.0.0-rc1 validates every pulled manifest and index by its schema, and as an image every
    /// manifest it knows (OCI manifest, OCI config, OCI tar layers: no artifact, no in-toto attestation) whose
    /// layers were all pulled, through a view of the store: its own index.json naming those manifests, the
    /// store's blob files. The store's own record is validated too when rc1 can take all of it: rc1 walks every
    /// manifest of an index and wants every layer, which the OCI layout spec does not ("blobs MAY be missing").
    /// Returns how many images it validated.
    /// </summary>
    private async Task<int> AssertOciImageToolAcceptsAsync(LayoutOracle oracle)
    {
        foreach (var index in oracle.Indexes.Where(oracle.Expected.Contains))
        {
            await ToolRunner.RunCheckedAsync("oci-image-tool", "validate", "--type", "imageIndex", BlobPath(index));
        }

        var pulled = oracle.Manifests.Where(m => oracle.Expected.Contains(m.Digest)).ToList();
        foreach (var manifest in pulled)
        {
            await ToolRunner.RunCheckedAsync("oci-image-tool", "validate", "--type", "manifest", BlobPath(manifest.Digest));
        }

        var images = pulled.Where(m => Rc1KnowsImage(m) && m.Layers.All(l => oracle.Expected.Contains(l.Digest))).ToList();
        var view = Temp.Combine("oci-image-tool-view");
        Directory.CreateDirectory(view);
        File.WriteAllText(Path.Combine(view, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        // rc1 wants blobs/ to be a directory (it does not follow a link to one); each blob links to the store's file.
        var viewBlobs = Directory.CreateDirectory(Path.Combine(view, "blobs", "sha256")).FullName;
        foreach (var digest in oracle.Expected)
        {
            File.CreateSymbolicLink(Path.Combine(viewBlobs, digest["sha256:".Length..]), BlobPath(digest));
        }
        // One image per run: rc1 finds no unique entry by name once index.json has several.
        foreach (var image in images)
        {
            var entry = new Dictionary<string, object>
            {
                ["mediaType"] = image.MediaType,
                ["digest"] = image.Digest,
                ["size"] = new FileInfo(BlobPath(image.Digest)).Length,
                ["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = "image" },
            };
            File.WriteAllText(Path.Combine(view, "index.json"), JsonSerializer.Serialize(new { schemaVersion = 2, manifests = new[] { entry } }));
            await ToolRunner.RunCheckedAsync("oci-image-tool", "validate", "--type", "image", "--ref", "name=image", view);
        }

        var wholeRecord = oracle.Expected.SetEquals(oracle.Reachable) && oracle.Manifests.All(Rc1KnowsImage) && oracle.Indexes.Count <= 1;
        if (wholeRecord)
        {
            await ToolRunner.RunCheckedAsync("oci-image-tool", "validate", "--type", "image", "--ref", "name=" + RecordName, Store.Root);
        }

        return images.Count;
    }

    private static bool Rc1KnowsImage(LayoutOracle.Node manifest) =>
        manifest.MediaType == OciManifest && manifest.Config.MediaType == OciConfig
        && manifest.Layers.All(l => l.MediaType.StartsWith("application/vnd.oci.image.layer.", StringComparison.Ordinal));

    /// <summary>
    /// <c>skopeo copy --preserve-digests oci:&lt;store&gt;:&lt;record&gt; oci:&lt;dir&gt;</c> gives the same top digest and
    /// the same blobs, byte for byte: a root manifest as is, an index with <c>--all</c> after an all-platforms
    /// pull, else each pulled platform's manifest (skopeo's <c>--override-os/arch/variant</c> picks it).
    /// </summary>
    private async Task AssertSkopeoReproducesAsync(LayoutOracle oracle, Selection selection)
    {
        var copies = new List<(string[] Options, string Top, IReadOnlySet<string> Blobs)>();
        if (!oracle.Indexes.Contains(oracle.Root.Digest))
        {
            copies.Add(([], oracle.Root.Digest, oracle.Expected));
        }
        else if (selection == Selection.All)
        {
            copies.Add((["--all"], oracle.Root.Digest, oracle.Expected));
        }
        else
        {
            foreach (var manifest in oracle.Manifests.Where(m => m.LayersWanted && m.Platform is not null && m.Platform != AttestationPlatform))
            {
                var parts = manifest.Platform!.Split('/');
                string[] overrides = ["--override-os", parts[0], "--override-arch", parts[1], .. parts.Length > 2 ? ["--override-variant", parts[2]] : Array.Empty<string>()];
                var blobs = new HashSet<string>(StringComparer.Ordinal) { manifest.Digest, manifest.Config.Digest };
                blobs.UnionWith(manifest.Layers.Select(l => l.Digest));
                copies.Add((overrides, manifest.Digest, blobs));
            }
        }

        Assert.NotEmpty(copies);
        for (int i = 0; i < copies.Count; i++)
        {
            var (options, top, blobs) = copies[i];
            var destination = Temp.Combine($"skopeo-copy-{i}");
            var all = options.Contains("--all");
            string[] arguments =
            [
                "--insecure-policy", .. all ? [] : options, "copy", "--quiet", "--preserve-digests", .. all ? options : [],
                $"oci:{Store.Root}:{RecordName}", $"oci:{destination}:copy",
            ];
            await ToolRunner.RunCheckedAsync("skopeo", arguments);

            using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(destination, "index.json")));
            Assert.Equal(top, index.RootElement.GetProperty("manifests").EnumerateArray().Single().GetProperty("digest").GetString());
            var copied = Directory.GetFiles(Path.Combine(destination, "blobs", "sha256")).ToDictionary(f => "sha256:" + Path.GetFileName(f));
            Assert.Equal(blobs.Order(StringComparer.Ordinal), copied.Keys.Order(StringComparer.Ordinal));
            Assert.All(copied, blob => Assert.Equal(blob.Key, FixtureTools.Sha256Of(blob.Value)));
        }
    }

    private string BlobPath(string digest) => Path.Combine(Store.Root, "blobs", "sha256", digest["sha256:".Length..]);

    // The committed blobs as files, by digest (their names); read from disk, not through the store.
    private SortedDictionary<string, string> StoredBlobs() =>
        new(Directory.GetFiles(Path.Combine(Store.Root, "blobs", "sha256")).ToDictionary(f => "sha256:" + Path.GetFileName(f)), StringComparer.Ordinal);
}
