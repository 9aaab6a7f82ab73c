using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Content.Images;

/// <summary>A record written by <see cref="ImageRecordStore"/> is an image that skopeo, umoci and oci-image-tool read.</summary>
public sealed class ImageRecordInteropTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("v2")]
    [InlineData("example.com/team/app:v2")]
    public async Task ANewRecordIsReadableByTheOciTools(string name)
    {
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("layout"), new LayoutOptions { RefName = "latest" });
        var store = new ImageRecordStore(layout.Directory);
        var target = new Descriptor { MediaType = layout.MediaType, Digest = Digest.Parse(layout.Digest), Size = layout.Size };

        await store.CreateAsync(name, target);

        var manifest = await File.ReadAllTextAsync(Path.Combine(layout.Directory, layout.Top.RelativePath));
        Assert.Equal(manifest, await ToolRunner.RunCheckedAsync("skopeo", "inspect", "--raw", $"oci:{layout.Directory}:{name}"));
        // The fixture's own record is still there.
        Assert.Equal(manifest, await ToolRunner.RunCheckedAsync("skopeo", "inspect", "--raw", $"oci:{layout.Directory}:latest"));

        var listed = (await ToolRunner.RunCheckedAsync("umoci", "ls", "--layout", layout.Directory))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "latest", name }.Order(StringComparer.Ordinal), listed);

        await ToolRunner.RunCheckedAsync("oci-image-tool", "validate", "--type", "image", "--ref", "name=" + name, layout.Directory);
    }

    [Fact]
    public async Task AStoreStartedFromNothingIsALayoutOnceItHasARecord()
    {
        // Copy only the blobs of a fixture layout: no oci-layout, no index.json.
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("layout"));
        var root = _temp.Combine("store");
        foreach (var blob in layout.Blobs)
        {
            var destination = Path.Combine(root, blob.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(FixtureTools.BlobPath(layout, blob), destination);
        }

        await new ImageRecordStore(root).SetAsync("v1", new Descriptor { MediaType = layout.MediaType, Digest = Digest.Parse(layout.Digest), Size = layout.Size });

        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", await File.ReadAllTextAsync(Path.Combine(root, "oci-layout")));
        var manifest = await File.ReadAllTextAsync(Path.Combine(root, layout.Top.RelativePath));
        Assert.Equal(manifest, await ToolRunner.RunCheckedAsync("skopeo", "inspect", "--raw", $"oci:{root}:v1"));
        Assert.Equal("v1", (await ToolRunner.RunCheckedAsync("umoci", "ls", "--layout", root)).Trim());
    }
}
