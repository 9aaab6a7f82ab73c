using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Check;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Gc;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Check;

public sealed class ImageCheckTests : IDisposable
{
    private readonly LayoutStore _store = new();

    private static IPlatformMatchComparer Only(string platform) => Platforms.Only(Platforms.Parse(platform));

    /// <summary>What a manifest needs, read from the layout's own files: the manifest, its config, its layers.</summary>
    private static List<string> ImageOf(LayoutResult layout, LayoutBlob manifest)
    {
        var body = File.ReadAllBytes(Path.Combine(layout.Directory, manifest.RelativePath));
        var parsed = ManifestParser.ParseManifest(body, manifest.MediaType);
        return [manifest.Digest, parsed.Config.Digest.ToString(), .. parsed.Layers.Select(l => l.Digest.ToString())];
    }

    private static List<string> Digests(IEnumerable<Descriptor> descriptors) => descriptors.Select(d => d.Digest.ToString()).ToList();

    [Theory]
    [InlineData(LayoutScenario.MultiPlatform, "linux/amd64", "linux/amd64")]
    [InlineData(LayoutScenario.MultiPlatform, "linux/arm64/v8", "linux/arm64/v8")]
    [InlineData(LayoutScenario.MultiPlatform, "linux/arm/v7", "linux/arm/v7")]
    [InlineData(LayoutScenario.DockerMultiPlatform, "linux/arm64", "linux/arm64/v8")]
    [InlineData(LayoutScenario.DockerMultiPlatform, "linux/arm/v7", "linux/arm/v7")]
    public async Task ACompleteIndexRequiresTheIndexAndTheBestManifestWithItsConfigAndLayers(LayoutScenario scenario, string asked, string chosen)
    {
        var layout = await _store.ImportAsync(scenario, seed: 1, record: true);
        var record = Assert.Single(await _store.Records.ListAsync());

        var result = await ImageCheck.CheckAsync(_store.Store, record, Only(asked), verify: true);

        var manifest = layout.ManifestFor(chosen);
        List<string> expected = [layout.Digest, .. ImageOf(layout, manifest)];
        Assert.Equal(expected, Digests(result.Required));
        Assert.Equal(expected, Digests(result.Present));
        Assert.Empty(result.Missing);
        Assert.Empty(result.Corrupt);
        Assert.Equal([manifest.Digest], Digests(result.Manifests));
        Assert.True(result.Available);
        Assert.True(result.PlatformMatched);
        Assert.True(result.Complete);
    }

    [Fact]
    public async Task ANestedIndexIsDescendedAndItsDescriptorListed()
    {
        var layout = await _store.ImportAsync(LayoutScenario.NestedIndex, seed: 2, record: true);
        var inner = layout.OfKind(BlobKind.Index).Single(b => b.Digest != layout.Digest);

        var arm = await ImageCheck.CheckAsync(_store.Store, LayoutStore.DescriptorOf(layout.Top), Only("linux/arm64"), verify: false);
        Assert.Equal([layout.Digest, inner.Digest, .. ImageOf(layout, layout.ManifestFor("linux/arm64/v8"))], Digests(arm.Required));
        Assert.True(arm.Complete);

        var riscv = await ImageCheck.CheckAsync(_store.Store, LayoutStore.DescriptorOf(layout.Top), Only("linux/riscv64"), verify: false);
        Assert.Equal([layout.Digest, .. ImageOf(layout, layout.ManifestFor("linux/riscv64"))], Digests(riscv.Required));
        Assert.True(riscv.Complete);
    }

    [Fact]
    public async Task APlatformTheImageDoesNotHaveIsNotMatchedAndNotAvailable()
    {
        var layout = await _store.ImportAsync(LayoutScenario.MultiPlatform, seed: 3, record: true);
        var result = await ImageCheck.CheckAsync(_store.Store, LayoutStore.DescriptorOf(layout.Top), Only("linux/s390x"), verify: false);
        Assert.False(result.PlatformMatched);
        Assert.False(result.Available);
        Assert.False(result.Complete);
        Assert.Empty(result.Manifests);
        Assert.Equal([layout.Digest], Digests(result.Required));
        Assert.Empty(result.Missing);
    }

    [Fact]
    public async Task NoPlatformRequiresEveryManifestAttestationsIncluded()
    {
        var layout = await _store.ImportAsync(LayoutScenario.MultiPlatform, seed: 4, record: true);
        var result = await ImageCheck.CheckAsync(_store.Store, LayoutStore.DescriptorOf(layout.Top), null, verify: false);
        Assert.Equal(4, result.Manifests.Count);
        Assert.Equal(layout.Blobs.Select(b => b.Digest).ToHashSet(), Digests(result.Required).ToHashSet());
        Assert.True(result.Complete);
    }

    [Fact]
    public async Task AMissingLayerIsMissingForItsPlatformOnly()
    {
        var layout = await _store.ImportAsync(LayoutScenario.MultiPlatform, seed: 5, record: true);
        var armImage = ImageOf(layout, layout.ManifestFor("linux/arm/v7"));
        var layer = Digest.Parse(armImage[^1]);
        await _store.Store.DeleteAsync(layer);

        var arm = await ImageCheck.CheckAsync(_store.Store, LayoutStore.DescriptorOf(layout.Top), Only("linux/arm/v7"), verify: true);
        Assert.Equal([layer], arm.Missing.Select(d => d.Digest));
        Assert.DoesNotContain(layer, arm.Present.Select(d => d.Digest));
        Assert.Equal(arm.Required.Count - 1, arm.Present.Count);
        Assert.True(arm.Available);
        Assert.False(arm.Complete);

        Assert.True((await ImageCheck.CheckAsync(_store.Store, LayoutStore.DescriptorOf(layout.Top), Only("linux/amd64"), verify: true)).Complete);
    }

    [Fact]
    public async Task AMissingManifestOrRootMakesTheImageUnavailable()
    {
        var layout = await _store.ImportAsync(LayoutScenario.MultiPlatform, seed: 6, record: true);
        var manifest = layout.ManifestFor("linux/amd64");
        await _store.Store.DeleteAsync(Digest.Parse(manifest.Digest));

        var result = await ImageCheck.CheckAsync(_store.Store, LayoutStore.DescriptorOf(layout.Top), Only("linux/amd64"), verify: false);
        Assert.Equal([manifest.Digest], Digests(result.Missing));
        Assert.Equal([layout.Digest, manifest.Digest], Digests(result.Required));
        Assert.False(result.Available);
        Assert.True(result.PlatformMatched);

        await _store.Store.DeleteAsync(Digest.Parse(layout.Digest));
        var noRoot = await ImageCheck.CheckAsync(_store.Store, LayoutStore.DescriptorOf(layout.Top), Only("linux/amd64"), verify: false);
        Assert.Equal([layout.Digest], Digests(noRoot.Missing));
        Assert.False(noRoot.Available);
    }

    [Fact]
    public async Task ACorruptLayerIsFoundOnlyWithVerifyAndIsDataLoss()
    {
        var layout = await _store.ImportAsync(LayoutScenario.SinglePlatform, seed: 7, record: true);
        var layer = Digest.Parse(ImageOf(layout, layout.Top)[^1]);
        Corrupt(layer);

        var quick = await ImageCheck.CheckAsync(_store.Store, LayoutStore.DescriptorOf(layout.Top), Only("linux/amd64"), verify: false);
        Assert.True(quick.Complete); // same size: only re-hashing tells

        var verified = await ImageCheck.CheckAsync(_store.Store, LayoutStore.DescriptorOf(layout.Top), Only("linux/amd64"), verify: true);
        var corrupt = Assert.Single(verified.Corrupt);
        Assert.Equal(layer, corrupt.Descriptor.Digest);
        Assert.Equal(ErrorIds.BlobCorrupt, corrupt.Error.ErrorId);
        Assert.Equal(ErrorClass.DataLoss, corrupt.Error.Class);
        Assert.Contains(layer.ToString(), corrupt.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(layer, verified.Present.Select(d => d.Digest));
        Assert.True(verified.Available);
        Assert.False(verified.Complete);
    }

    [Fact]
    public async Task ACorruptManifestIsCorruptEvenWithoutVerify()
    {
        var layout = await _store.ImportAsync(LayoutScenario.MultiPlatform, seed: 8, record: true);
        var manifest = layout.ManifestFor("linux/arm64/v8");
        Corrupt(Digest.Parse(manifest.Digest));

        var result = await ImageCheck.CheckAsync(_store.Store, LayoutStore.DescriptorOf(layout.Top), Only("linux/arm64"), verify: false);
        Assert.Equal([manifest.Digest], result.Corrupt.Select(c => c.Descriptor.Digest.ToString()));
        Assert.Equal([layout.Digest, manifest.Digest], Digests(result.Required));
        Assert.False(result.Available);
    }

    [Fact]
    public async Task AWrongSizeIsCorruptWithoutVerify()
    {
        var layout = await _store.ImportAsync(LayoutScenario.SinglePlatform, seed: 9, record: true);
        var config = ImageOf(layout, layout.Top)[1];
        var described = LayoutStore.DescriptorOf(layout.Top);
        var path = Path.Combine(_store.Root, "blobs", "sha256", config["sha256:".Length..]);
        MakeWritable(path);
        File.AppendAllText(path, " ");

        var result = await ImageCheck.CheckAsync(_store.Store, described, Only("linux/amd64"), verify: false);
        Assert.Equal([config], result.Corrupt.Select(c => c.Descriptor.Digest.ToString()));
        Assert.Contains("bytes in the store", Assert.Single(result.Corrupt).Error.Message, StringComparison.Ordinal);
    }

    private void Corrupt(Digest digest)
    {
        var path = Path.Combine(_store.Root, "blobs", digest.Algorithm, digest.Encoded);
        MakeWritable(path);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xff;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Committed blobs are read-only; tests that damage one make it writable first.</summary>
    private static void MakeWritable(string path)
    {
        if (OperatingSystem.IsWindows()) File.SetAttributes(path, FileAttributes.Normal);
        else File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public void Dispose() => _store.Dispose();
}
