using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ContentPS.Engine.Archives;
using ContentPS.Engine.Content;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Archives;

/// <summary>Archives and layouts written by skopeo and umoci imported with the digests those tools gave them.</summary>
public sealed class ImportInteropTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AnOciArchiveWrittenBySkopeoImportsWithIdenticalDigests()
    {
        var layout = ImageLayouts.Create(LayoutScenario.MultiPlatform, _temp.Combine("fixture"));
        var archive = _temp.Combine("app.tar");
        await ToolRunner.RunCheckedAsync("skopeo", "copy", "--all", $"oci:{layout.Directory}:latest", $"oci-archive:{archive}:app:v1");
        var store = LocalContentStore.Open(_temp.Combine("store"));

        var result = await ImageImport.ImportAsync(new ImportRequest { Store = store, Path = archive });

        Assert.Equal(ArchiveFormat.OciArchive, result.Format);
        var image = Assert.Single(result.Images);
        Assert.Equal("app:v1", image.Name);
        Assert.Equal(layout.Digest, image.Root.Digest.ToString());
        Assert.Equal(layout.Blobs.Select(b => b.Digest).Order(StringComparer.Ordinal), await ArchiveTestStore.BlobsAsync(store));
        Assert.Equal(layout.Blobs.Count, result.BlobsWritten);
        Assert.Equal(layout.Digest, (await new ImageRecordStore(store.Root).GetAsync("app:v1")).Target.Digest.ToString());
        Assert.Empty(await store.ListStatusesAsync());
        Assert.EndsWith("ingests: 0; leases: 0", await ArchiveTestStore.StateAsync(store), StringComparison.Ordinal);

        // Again: everything is there already.
        var again = await ImageImport.ImportAsync(new ImportRequest { Store = store, Path = archive, Name = "app:again" });
        Assert.Equal(0, again.BlobsWritten);
        Assert.Equal(layout.Blobs.Count, again.BlobsExisting);
        Assert.Equal("app:again", Assert.Single(again.Images).Name);
    }

    [Fact]
    public async Task AGzipCompressedOciArchiveIsSniffedAndImported()
    {
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("fixture"));
        var archive = _temp.Combine("app.tar");
        await ToolRunner.RunCheckedAsync("skopeo", "copy", $"oci:{layout.Directory}:latest", $"oci-archive:{archive}:v1");
        var compressed = _temp.Combine("app.tar.gz");
        await using (var input = File.OpenRead(archive))
        await using (var output = new GZipStream(File.Create(compressed), CompressionLevel.Fastest))
        {
            await input.CopyToAsync(output);
        }
        var store = LocalContentStore.Open(_temp.Combine("store"));

        var result = await ImageImport.ImportAsync(new ImportRequest { Store = store, Path = compressed });

        Assert.Equal(layout.Digest, Assert.Single(result.Images).Root.Digest.ToString());
        Assert.Equal(layout.Blobs.Select(b => b.Digest).Order(StringComparer.Ordinal), await ArchiveTestStore.BlobsAsync(store));
    }

    [Fact]
    public async Task ADockerArchiveWrittenBySkopeoImportsAsTheManifestSkopeoComputes()
    {
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("fixture"), new LayoutOptions { LayerCount = 2 });
        var archive = _temp.Combine("docker.tar");
        await ToolRunner.RunCheckedAsync("skopeo", "copy", $"oci:{layout.Directory}:latest", $"docker-archive:{archive}:example.com/team/app:v2");
        var skopeoManifest = await ToolRunner.RunCheckedAsync("skopeo", "inspect", "--raw", $"docker-archive:{archive}");
        var store = LocalContentStore.Open(_temp.Combine("store"));

        var result = await ImageImport.ImportAsync(new ImportRequest { Store = store, Path = archive });

        Assert.Equal(ArchiveFormat.DockerArchive, result.Format);
        var image = Assert.Single(result.Images);
        Assert.Equal("example.com/team/app:v2", image.Name);
        Assert.Equal(MediaTypes.DockerManifest, image.Root.MediaType);
        Assert.Equal(Digest.FromBytes(Encoding.UTF8.GetBytes(skopeoManifest)), image.Root.Digest);
        using var manifest = JsonDocument.Parse(skopeoManifest);
        var config = layout.OfKind(BlobKind.Config).Single();
        Assert.Equal(config.Digest, manifest.RootElement.GetProperty("config").GetProperty("digest").GetString());
        // skopeo wrote the layers uncompressed: their digests are the diff IDs.
        Assert.Equal(layout.OfKind(BlobKind.Layer).Select(l => l.DiffId), manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()));
        var stored = await ArchiveTestStore.BlobsAsync(store);
        Assert.Contains(config.Digest, stored);
        Assert.All(layout.OfKind(BlobKind.Layer), l => Assert.Contains(l.DiffId!, stored));

        // The store holds skopeo's manifest byte for byte (skopeo 1.9's oci: transport cannot read Docker media types back).
        Assert.Equal(skopeoManifest, await File.ReadAllTextAsync(Path.Combine(store.Root, image.Root.Digest.RelativeBlobPath)));
        Assert.Empty(await store.ListStatusesAsync());
    }

    [Fact]
    public async Task ALayoutWrittenByUmociImportsWithIdenticalDigests()
    {
        var layoutDir = _temp.Combine("umoci");
        await ToolRunner.RunCheckedAsync("umoci", "init", "--layout", layoutDir);
        await ToolRunner.RunCheckedAsync("umoci", "new", "--image", $"{layoutDir}:v1");
        var payload = _temp.Combine("hello.txt");
        await File.WriteAllTextAsync(payload, "hello from umoci");
        await ToolRunner.RunCheckedAsync("umoci", "insert", "--rootless", "--image", $"{layoutDir}:v1", payload, "/hello.txt");
        using var index = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(layoutDir, "index.json")));
        var umociRoot = index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString();
        var store = LocalContentStore.Open(_temp.Combine("store"));

        var result = await ImageImport.ImportAsync(new ImportRequest { Store = store, Path = layoutDir });

        Assert.Equal(ArchiveFormat.OciLayout, result.Format);
        var image = Assert.Single(result.Images);
        Assert.Equal("v1", image.Name);
        Assert.Equal(umociRoot, image.Root.Digest.ToString());
        var referenced = Directory.GetFiles(Path.Combine(layoutDir, "blobs", "sha256")).Select(f => "sha256:" + Path.GetFileName(f)).ToHashSet();
        Assert.Subset(referenced, (await ArchiveTestStore.BlobsAsync(store)).ToHashSet());
        // umoci reads the store back: the image unpacks.
        await ToolRunner.RunCheckedAsync("umoci", "raw", "unpack", "--rootless", "--image", $"{store.Root}:v1", _temp.Combine("rootfs"));
        Assert.Equal("hello from umoci", await File.ReadAllTextAsync(Path.Combine(_temp.Combine("rootfs"), "hello.txt")));
    }
}
