using System.Text.Json;
using ContentPS.Engine.Archives;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Archives;

/// <summary>Export to an OCI layout directory and an OCI archive, read back by umoci, oci-image-tool and skopeo.</summary>
public sealed class OciLayoutExportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ASinglePlatformImageExportsToALayoutThatUmociUnpacksAndOciImageToolValidates()
    {
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("fixture"), new LayoutOptions { LayerCount = 2 });
        var store = LocalContentStore.Open(_temp.Combine("store"));
        await ArchiveTestStore.AddAsync(store, layout, "example.com/app:v1");
        var target = _temp.Combine("out");

        var result = await ImageExport.ExportAsync(new ExportRequest { Store = store, Names = ["example.com/app:v1"], Path = target });

        var image = Assert.Single(result.Images);
        Assert.Equal(layout.Digest, image.Root.Digest.ToString());
        Assert.False(image.IndexRewritten);
        Assert.Equal(layout.Blobs.Count, result.BlobsWritten);
        Assert.Equal(layout.Blobs.Sum(b => b.Size), result.BytesWritten);
        foreach (var blob in layout.Blobs)
        {
            Assert.Equal(File.ReadAllBytes(FixtureTools.BlobPath(layout, blob)), File.ReadAllBytes(Path.Combine(target, blob.RelativePath)));
        }
        Assert.Equal("example.com/app:v1", (await ToolRunner.RunCheckedAsync("umoci", "ls", "--layout", target)).Trim());
        // oci-image-tool 1.0.0-rc1 leaves --type imageLayout unimplemented: it validates the image the layout names.
        await ToolRunner.RunCheckedAsync("oci-image-tool", "validate", "--type", "image", "--ref", "name=example.com/app:v1", target);
        var bundle = _temp.Combine("bundle");
        await ToolRunner.RunCheckedAsync("umoci", "raw", "unpack", "--rootless", "--image", $"{target}:example.com/app:v1", bundle);
        Assert.NotEmpty(Directory.GetFileSystemEntries(bundle));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_temp.Path), p => Path.GetFileName(p).StartsWith(".out.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APlatformSubsetOfAnIndexIsWrittenAsANewIndexThatSkopeoReadsFromAnOciArchive()
    {
        var layout = ImageLayouts.Create(LayoutScenario.MultiPlatform, _temp.Combine("fixture"));
        var store = LocalContentStore.Open(_temp.Combine("store"));
        await ArchiveTestStore.AddAsync(store, layout, "app:multi");
        var archive = _temp.Combine("app.tar");

        var result = await ImageExport.ExportAsync(new ExportRequest
        {
            Store = store,
            Names = ["app:multi"],
            Path = archive,
            Format = ArchiveFormat.OciArchive,
            Platforms = [Platforms.Parse("linux/arm64"), Platforms.Parse("linux/arm/v7")],
        });

        var image = Assert.Single(result.Images);
        Assert.True(image.IndexRewritten);
        Assert.Equal(layout.Digest, image.SourceRoot.Digest.ToString());
        Assert.NotEqual(image.SourceRoot.Digest, image.Root.Digest);
        Assert.Equal(
            new[] { layout.ManifestFor("linux/arm64/v8").Digest, layout.ManifestFor("linux/arm/v7").Digest },
            image.Manifests.Select(m => m.Digest.ToString()));

        var copied = _temp.Combine("copied");
        await ToolRunner.RunCheckedAsync("skopeo", "copy", "--all", $"oci-archive:{archive}:app:multi", $"oci:{copied}:copy");
        var raw = await ToolRunner.RunCheckedAsync("skopeo", "inspect", "--raw", $"oci:{copied}:copy");
        Assert.Equal(image.Root.Digest, Digest.FromBytes(System.Text.Encoding.UTF8.GetBytes(raw)));
        using var index = JsonDocument.Parse(raw);
        var platforms = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("platform").GetProperty("architecture").GetString()).ToList();
        Assert.Equal(["arm64", "arm"], platforms);
        // The amd64 image's layers were not written; its config was not either.
        var amd64 = layout.ManifestFor("linux/amd64");
        Assert.False(File.Exists(Path.Combine(copied, amd64.RelativePath)));
    }

    [Fact]
    public async Task AllPlatformsKeepTheIndexAsItIsWithItsAttestation()
    {
        var layout = ImageLayouts.Create(LayoutScenario.MultiPlatform, _temp.Combine("fixture"));
        var store = LocalContentStore.Open(_temp.Combine("store"));
        await ArchiveTestStore.AddAsync(store, layout, "app:multi");
        var target = _temp.Combine("out");

        var result = await ImageExport.ExportAsync(new ExportRequest { Store = store, Names = ["app:multi"], Path = target, AllPlatforms = true });

        Assert.False(Assert.Single(result.Images).IndexRewritten);
        Assert.Equal(layout.Blobs.Select(b => b.Digest).Order(), Directory.GetFiles(Path.Combine(target, "blobs", "sha256")).Select(f => "sha256:" + Path.GetFileName(f)).Order());
        // oci-image-tool rc1 refuses the attestation's in-toto layer type; skopeo reads the whole index.
        var copied = _temp.Combine("copied");
        await ToolRunner.RunCheckedAsync("skopeo", "copy", "--all", $"oci:{target}:app:multi", $"oci:{copied}:copy");
        Assert.Equal(layout.Digest, Digest.FromBytes(System.Text.Encoding.UTF8.GetBytes(await ToolRunner.RunCheckedAsync("skopeo", "inspect", "--raw", $"oci:{copied}:copy"))).ToString());
    }

    [Fact]
    public async Task AMissingLayerIsNotFoundNamingItsDigestAndNothingIsLeftAtTheTarget()
    {
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("fixture"));
        var missing = layout.OfKind(BlobKind.Layer).Last();
        var store = LocalContentStore.Open(_temp.Combine("store"));
        await ArchiveTestStore.AddAsync(store, layout, "app:v1", blob => blob.Digest != missing.Digest);

        foreach (var format in Enum.GetValues<ArchiveFormat>())
        {
            var target = _temp.Combine("out-" + format);
            var error = await Assert.ThrowsAsync<NotFoundException>(() =>
                ImageExport.ExportAsync(new ExportRequest { Store = store, Names = ["app:v1"], Path = target, Format = format }));
            Assert.Equal(ErrorIds.BlobNotFound, error.ErrorId);
            Assert.Contains(missing.Digest, error.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(target) || Directory.Exists(target));
        }
        Assert.Equal(["fixture", "store"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task AnExistingTargetIsKeptUnlessOverwriteIsAsked()
    {
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("fixture"));
        var store = LocalContentStore.Open(_temp.Combine("store"));
        await ArchiveTestStore.AddAsync(store, layout, "app:v1");
        var archive = _temp.Combine("app.tar");
        File.WriteAllText(archive, "keep me");

        var error = await Assert.ThrowsAsync<AlreadyExistsException>(() =>
            ImageExport.ExportAsync(new ExportRequest { Store = store, Names = ["app:v1"], Path = archive, Format = ArchiveFormat.OciArchive }));
        Assert.Equal(ErrorIds.ExportTargetExists, error.ErrorId);
        Assert.Equal("keep me", File.ReadAllText(archive));

        await ImageExport.ExportAsync(new ExportRequest { Store = store, Names = ["app:v1"], Path = archive, Format = ArchiveFormat.OciArchive, Overwrite = true });
        Assert.Contains(layout.Digest, await ToolRunner.RunCheckedAsync("skopeo", "inspect", $"oci-archive:{archive}:app:v1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APlatformTheIndexDoesNotOfferIsPlatformNotFound()
    {
        var layout = ImageLayouts.Create(LayoutScenario.MultiPlatform, _temp.Combine("fixture"));
        var store = LocalContentStore.Open(_temp.Combine("store"));
        await ArchiveTestStore.AddAsync(store, layout, "app:multi");
        var error = await Assert.ThrowsAsync<NotFoundException>(() => ImageExport.ExportAsync(new ExportRequest
        {
            Store = store, Names = ["app:multi"], Path = _temp.Combine("out.tar"), Format = ArchiveFormat.OciArchive, Platforms = [Platforms.Parse("linux/s390x")],
        }));
        Assert.Equal(ErrorIds.PlatformNotFound, error.ErrorId);
        Assert.False(File.Exists(_temp.Combine("out.tar")));
    }

    [Fact]
    public async Task AnUnknownImageIsNotFound()
    {
        var store = LocalContentStore.Open(_temp.Combine("store"));
        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            ImageExport.ExportAsync(new ExportRequest { Store = store, Names = ["nope:v1"], Path = _temp.Combine("out") }));
        Assert.Equal(ErrorIds.ImageNotFound, error.ErrorId);
        Assert.False(Directory.Exists(_temp.Combine("out")));
    }
}
