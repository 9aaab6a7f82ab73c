using System.Formats.Tar;
using System.Text.Json;
using ContentPS.Engine.Archives;
using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Archives;

/// <summary>Docker archives written by the export, read by skopeo and by the import.</summary>
public sealed class DockerArchiveExportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task OneManifestPerPlatformIsWrittenAndSkopeoReadsTheTaggedOneWithTheSameConfigAndDiffIds()
    {
        var layout = ImageLayouts.Create(LayoutScenario.MultiPlatform, _temp.Combine("fixture"));
        var store = LocalContentStore.Open(_temp.Combine("store"));
        await ArchiveTestStore.AddAsync(store, layout, "example.com/app:v1");
        var archive = _temp.Combine("docker.tar");

        var result = await ImageExport.ExportAsync(new ExportRequest
        {
            Store = store,
            Names = ["example.com/app:v1"],
            Path = archive,
            Format = ArchiveFormat.DockerArchive,
            Platforms = [Platforms.Parse("linux/amd64"), Platforms.Parse("linux/arm64")],
        });

        var image = Assert.Single(result.Images);
        var amd64 = layout.ManifestFor("linux/amd64");
        Assert.Equal([amd64.Digest, layout.ManifestFor("linux/arm64/v8").Digest], image.Manifests.Select(m => m.Digest.ToString()));
        Assert.Equal(amd64.Digest, image.Root.Digest.ToString());

        var entries = ReadManifestJson(archive);
        Assert.Equal(2, entries.GetArrayLength());
        Assert.Equal(["example.com/app:v1"], entries[0].GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(0, entries[1].GetProperty("RepoTags").GetArrayLength());

        var copied = _temp.Combine("copied");
        await ToolRunner.RunCheckedAsync("skopeo", "copy", $"docker-archive:{archive}:example.com/app:v1", $"oci:{copied}:x");
        using var manifest = JsonDocument.Parse(await ToolRunner.RunCheckedAsync("skopeo", "inspect", "--raw", $"oci:{copied}:x"));
        using var amd64Manifest = FixtureTools.ReadJson(layout, amd64);
        Assert.Equal(
            amd64Manifest.RootElement.GetProperty("config").GetProperty("digest").GetString(),
            manifest.RootElement.GetProperty("config").GetProperty("digest").GetString());
        // skopeo hands docker-archive layers out uncompressed (their digests are the config's diff IDs) and the
        // oci: destination compresses them again, so the layers are compared on skopeo's view of the archive.
        using var archived = JsonDocument.Parse(await ToolRunner.RunCheckedAsync("skopeo", "inspect", "--raw", $"docker-archive:{archive}:example.com/app:v1"));
        Assert.Equal(
            amd64Manifest.RootElement.GetProperty("config").GetProperty("digest").GetString(),
            archived.RootElement.GetProperty("config").GetProperty("digest").GetString());
        var layerDigests = amd64Manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()).ToList();
        var diffIds = layout.Blobs.Where(b => layerDigests.Contains(b.Digest)).Select(b => b.DiffId);
        Assert.Equal(diffIds, archived.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()));
    }

    [Fact]
    public async Task ADockerArchiveRoundTripsThroughTheImportKeepingConfigAndLayerDigests()
    {
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("fixture"), new LayoutOptions { LayerCount = 3 });
        var source = LocalContentStore.Open(_temp.Combine("source"));
        await ArchiveTestStore.AddAsync(source, layout, "docker.io/library/app:v1");
        var archive = _temp.Combine("docker.tar");
        await ImageExport.ExportAsync(new ExportRequest { Store = source, Names = ["docker.io/library/app:v1"], Path = archive, Format = ArchiveFormat.DockerArchive });
        Assert.Equal(["app:v1"], ReadManifestJson(archive)[0].GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()));

        var target = LocalContentStore.Open(_temp.Combine("target"));
        var imported = await ImageImport.ImportAsync(new ImportRequest { Store = target, Path = archive });

        var image = Assert.Single(imported.Images);
        Assert.Equal("docker.io/library/app:v1", image.Name);
        var stored = await ArchiveTestStore.BlobsAsync(target);
        Assert.All(layout.Blobs.Where(b => b.Kind != BlobKind.Manifest), b => Assert.Contains(b.Digest, stored));
        var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(target.Root, image.Root.Digest.RelativeBlobPath)));
        Assert.Equal(
            layout.OfKind(BlobKind.Layer).Select(l => l.Digest),
            manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()));
    }

    private static JsonElement ReadManifestJson(string archive)
    {
        using var file = File.OpenRead(archive);
        using var reader = new TarReader(file);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name == "manifest.json") return JsonDocument.Parse(entry.DataStream!).RootElement.Clone();
        }
        throw new InvalidOperationException("no manifest.json in " + archive);
    }
}
