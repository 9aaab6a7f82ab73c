using ContentPS.Engine.Content;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Content.Images;

/// <summary>
/// A real store (blobs written through the store's writers, labels, a partial ingest left over, an
/// image record) is an OCI image layout that skopeo, umoci and oci-image-tool accept as it is.
/// </summary>
public sealed class StoreInteropTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AStoreHoldingAnImageRecordIsReadByTheOciTools()
    {
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("layout"), new LayoutOptions { LayerCount = 2 });
        var root = _temp.Combine("store");
        var store = LocalContentStore.Open(root);
        foreach (var blob in layout.Blobs)
        {
            var descriptor = new Descriptor { MediaType = blob.MediaType, Digest = Digest.Parse(blob.Digest), Size = blob.Size };
            await using var source = File.OpenRead(FixtureTools.BlobPath(layout, blob));
            Assert.True(await ContentHelpers.WriteBlobAsync(store, "import-" + blob.Digest, source, descriptor,
                new Dictionary<string, string> { ["contentps.test/kind"] = blob.Kind.ToString() }));
        }

        // Leave a partial ingest behind, as an interrupted pull would.
        await using (var partial = await store.OpenWriterAsync("interrupted", 100, null))
        {
            await partial.WriteAsync(new byte[40]);
        }

        await new ImageRecordStore(root).SetAsync("app:v1", new Descriptor { MediaType = layout.MediaType, Digest = Digest.Parse(layout.Digest), Size = layout.Size });

        var manifest = await File.ReadAllTextAsync(FixtureTools.BlobPath(layout, layout.Top));
        Assert.Equal(manifest, await ToolRunner.RunCheckedAsync("skopeo", "inspect", "--raw", $"oci:{root}:app:v1"));
        Assert.Equal("app:v1", (await ToolRunner.RunCheckedAsync("umoci", "ls", "--layout", root)).Trim());
        await ToolRunner.RunCheckedAsync("oci-image-tool", "validate", "--type", "image", "--ref", "name=app:v1", root);

        var bundle = _temp.Combine("bundle");
        await ToolRunner.RunCheckedAsync("umoci", "unpack", "--rootless", "--image", $"{root}:app:v1", bundle);
        Assert.True(Directory.Exists(Path.Combine(bundle, "rootfs")));
        Assert.Single(await store.ListStatusesAsync());
    }
}
