using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Unpack;
using ContentPS.TestFixtures;
using static ContentPS.TestFixtures.FilesystemEntry;

namespace ContentPS.Engine.Tests.Unpack;

/// <summary>
/// Layers that must be refused: nothing lands outside the target, and the target is left exactly as the layers
/// before the refused one left it (compared with an unpack of only those layers).
/// </summary>
public sealed class UnpackRefusalTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ADotDotEntryIsRefusedAndItsLayerRolledBack()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackEscapeEntry);
        var target = Path.Combine(_temp.Path, "work", "rootfs");

        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => fixture.UnpackAsync(target));

        Assert.Equal(ErrorIds.UnpackUnsafeEntry, ex.ErrorId);
        Assert.Contains(fixture.Layers[1].Digest, ex.Message, StringComparison.Ordinal);
        Assert.Contains(UnpackScenarios.EscapeEntry, ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "work", "escape")));
        Assert.Equal(["rootfs"], Directory.GetFileSystemEntries(_temp.Combine("work")).Select(Path.GetFileName));
        await AssertLeftAsAfterFirstLayerAsync(target, UnpackScenarios.EscapeEntryLayers);
    }

    [Fact]
    public async Task AWriteThroughAnAbsoluteSymlinkOfAnEarlierLayerIsRefused()
    {
        Directory.CreateDirectory(UnpackScenarios.EscapeDirectory);
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackAbsoluteSymlinkWrite);
        var target = _temp.Combine("rootfs");

        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => fixture.UnpackAsync(target));

        Assert.Equal(ErrorIds.UnpackUnsafeEntry, ex.ErrorId);
        Assert.Contains("evil/pwned", ex.Message, StringComparison.Ordinal);
        Assert.Contains(UnpackScenarios.EscapeDirectory, ex.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.Layers[1].Digest, ex.Message, StringComparison.Ordinal);
        Assert.Equal("evil/pwned", ex.Target);
        Assert.False(File.Exists(Path.Combine(UnpackScenarios.EscapeDirectory, "pwned")));
        await AssertLeftAsAfterFirstLayerAsync(target, UnpackScenarios.AbsoluteSymlinkWrite);
    }

    [Fact]
    public async Task AWriteThroughARelativeSymlinkClimbingOutIsRefused()
    {
        FixtureLayer[] layers =
        [
            FixtureLayer.Of(Dir("a/"), Symlink("a/up", "../../outside"), Regular("a/file", "one")),
            FixtureLayer.Of(Regular("a/second", "two"), Regular("a/up/pwned", "pwned")),
        ];
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, layers);
        var target = _temp.Combine("rootfs");
        Directory.CreateDirectory(_temp.Combine("outside"));

        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => fixture.UnpackAsync(target));

        Assert.Equal(ErrorIds.UnpackUnsafeEntry, ex.ErrorId);
        Assert.Contains("a/up/pwned", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Combine("outside")));
        await AssertLeftAsAfterFirstLayerAsync(target, layers);
    }

    [Fact]
    public async Task AHardLinkToAPathOutsideIsRefused()
    {
        var secret = _temp.Combine("secret");
        File.WriteAllText(secret, "secret");
        FixtureLayer[] layers =
        [
            FixtureLayer.Of(Dir("a/"), Symlink("a/out", secret), Regular("a/file", "one")),
            FixtureLayer.Of(Regular("a/second", "two"), HardLink("a/stolen", "a/out/../secret")),
        ];
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, layers);
        var target = _temp.Combine("rootfs");

        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => fixture.UnpackAsync(target));

        Assert.Equal(ErrorIds.UnpackUnsafeEntry, ex.ErrorId);
        Assert.Contains("a/stolen", ex.Message, StringComparison.Ordinal);
        await AssertLeftAsAfterFirstLayerAsync(target, layers);

        FixtureLayer[] throughLink =
        [
            FixtureLayer.Of(Symlink("out", Path.GetDirectoryName(secret)!)),
            FixtureLayer.Of(HardLink("stolen", "out/secret")),
        ];
        var second = await UnpackFixture.CreateAsync(_temp.Combine("second"), throughLink);
        var again = await Assert.ThrowsAsync<InvalidArgumentException>(() => second.UnpackAsync(Path.Combine(_temp.Path, "second", "rootfs")));
        Assert.Equal(ErrorIds.UnpackUnsafeEntry, again.ErrorId);
        Assert.Contains("absolute path", again.Message, StringComparison.Ordinal);
        Assert.Equal("secret", File.ReadAllText(secret));
    }

    [Fact]
    public async Task AnAbsoluteEntryNameIsRefused()
    {
        FixtureLayer[] layers = [FixtureLayer.Of(Regular("ok", "ok")), FixtureLayer.Of(Regular("before", "written, then rolled back"), Regular("/etc/evil", "evil"))];
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, layers);
        var target = _temp.Combine("rootfs");

        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => fixture.UnpackAsync(target));

        Assert.Equal(ErrorIds.UnpackUnsafeEntry, ex.ErrorId);
        Assert.Contains("absolute", ex.Message, StringComparison.Ordinal);
        await AssertLeftAsAfterFirstLayerAsync(target, layers);
    }

    [Theory]
    [InlineData("missing-target", "does not exist")]
    [InlineData("directory-target", "directory")]
    [InlineData("file-as-parent", "is not a directory")]
    public async Task AnEntryThatCannotBeAppliedIsInvalidAndItsLayerRolledBack(string kind, string reason)
    {
        var bad = kind switch
        {
            "missing-target" => HardLink("x/link", "x/nothing"),
            "directory-target" => HardLink("x/link", "x"),
            _ => Regular("x/file/child", "a file cannot hold entries"),
        };
        FixtureLayer[] layers = [FixtureLayer.Of(Dir("x/"), Regular("x/file", "file")), FixtureLayer.Of(Regular("x/before", "rolled back"), bad)];
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, layers);
        var target = _temp.Combine("rootfs");

        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => fixture.UnpackAsync(target));

        Assert.Equal(ErrorIds.UnpackInvalidEntry, ex.ErrorId);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains(bad.Name, ex.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.Layers[1].Digest, ex.Message, StringComparison.Ordinal);
        await AssertLeftAsAfterFirstLayerAsync(target, layers);
    }

    [Fact]
    public async Task ALyingDiffIdIsDataLossAndTheLayerIsRolledBack()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackBadDiffId);
        var target = _temp.Combine("rootfs");

        var ex = await Assert.ThrowsAsync<DataLossException>(() => fixture.UnpackAsync(target));

        Assert.Equal(ErrorIds.LayerDiffIdMismatch, ex.ErrorId);
        Assert.Contains(fixture.Layers[1].Digest, ex.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.Layers[1].DiffId!, ex.Message, StringComparison.Ordinal);
        Assert.Contains(UnpackScenarios.BadDiffId[1].LyingDiffId!, ex.Message, StringComparison.Ordinal);
        await AssertLeftAsAfterFirstLayerAsync(target, UnpackScenarios.BadDiffId);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path, ".rootfs.unpack-*"));
    }

    [Fact]
    public async Task ATarWhoseHeaderSizeLiesIsDataLossAndTheLayerIsRolledBack()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackTruncated);
        var target = _temp.Combine("rootfs");

        var ex = await Assert.ThrowsAsync<DataLossException>(() => fixture.UnpackAsync(target));

        Assert.Equal(ErrorIds.LayerCorrupt, ex.ErrorId);
        Assert.Contains(fixture.Layers[1].Digest, ex.Message, StringComparison.Ordinal);
        Assert.Contains("good/partial", ex.Message, StringComparison.Ordinal);
        await AssertLeftAsAfterFirstLayerAsync(target, UnpackScenarios.Truncated);
    }

    [Fact]
    public async Task ARefusedLayerRestoresWhatItReplacedOrRemoved()
    {
        FixtureLayer[] layers =
        [
            FixtureLayer.Of(Dir("d/"), Regular("d/replaced", "lower"), Regular("d/whited", "lower"), Dir("d/opaque/"), Regular("d/opaque/lower", "lower"),
                Dir("d/dir-to-file/"), Regular("d/dir-to-file/x", "x"), Symlink("d/link", "replaced")),
            FixtureLayer.Of(Regular("d/replaced", "upper"), Whiteout("d/whited"), Opaque("d/opaque"), Regular("d/dir-to-file", "now a file"),
                Regular("d/link", "not a link"), Dir("new/"), Regular("new/file", "new"), Regular("../out", "refused last")),
        ];
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, layers);
        var target = _temp.Combine("rootfs");

        await Assert.ThrowsAsync<InvalidArgumentException>(() => fixture.UnpackAsync(target));

        await AssertLeftAsAfterFirstLayerAsync(target, layers);
        Assert.Equal("lower", File.ReadAllText(Path.Combine(target, "d/replaced")));
    }

    [Fact]
    public async Task ACanceledUnpackRollsBackTheLayerItWasIn()
    {
        var random = new Random(7);
        FixtureLayer[] layers =
        [
            FixtureLayer.Of(Regular("first", "one")),
            FixtureLayer.Of([.. Enumerable.Range(0, 48).Select(i => Regular($"many/{i}", "") with { Content = RandomBytes(random, 64 * 1024) })]),
        ];
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, layers);
        var target = _temp.Combine("rootfs");
        using var cancellation = new CancellationTokenSource();
        var writtenWhenCanceled = -1;
        // The first report inside layer 2 comes after 1 MiB of its (incompressible) blob: some files are written by then.
        var progress = new CallbackProgress(p =>
        {
            if (p.Layer == 2 && !p.LayerDone && !cancellation.IsCancellationRequested)
            {
                writtenWhenCanceled = Directory.GetFiles(Path.Combine(target, "many")).Length;
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            fixture.UnpackAsync(target, r => r with { Progress = progress }, cancellation.Token));

        Assert.InRange(writtenWhenCanceled, 1, 47);
        await AssertLeftAsAfterFirstLayerAsync(target, layers);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task MissingContentIsNotFoundNamingTheDigest()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackZstd);
        var layer = fixture.Layers[1];
        await fixture.Store.DeleteAsync(Digest.Parse(layer.Digest));
        var target = _temp.Combine("rootfs");

        var ex = await Assert.ThrowsAsync<NotFoundException>(() => fixture.UnpackAsync(target));

        Assert.Equal(ErrorIds.BlobNotFound, ex.ErrorId);
        Assert.Contains(layer.Digest, ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task AConfigWhoseDiffIdsDoNotPairWithTheLayersIsRefusedBeforeWriting()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.SinglePlatform);
        var config = fixture.Layout.OfKind(BlobKind.Config).Single();
        var target = _temp.Combine("rootfs");
        var store = fixture.Store;
        var configJson = File.ReadAllText(FixtureTools.BlobPath(fixture.Layout, config));
        var layers = fixture.Layers;
        var trimmed = configJson.Replace($",\"{layers[1].DiffId}\"", "", StringComparison.Ordinal);
        var configDescriptor = Descriptor.FromContent(MediaTypes.OciConfig, System.Text.Encoding.UTF8.GetBytes(trimmed));
        await ContentPS.Engine.Content.ContentHelpers.WriteBlobAsync(store, "config", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(trimmed)), configDescriptor);
        var manifestJson = File.ReadAllText(FixtureTools.BlobPath(fixture.Layout, fixture.Layout.Top))
            .Replace(config.Digest, configDescriptor.Digest.ToString(), StringComparison.Ordinal)
            .Replace($"\"size\":{config.Size}", $"\"size\":{configDescriptor.Size}", StringComparison.Ordinal);
        var manifest = Descriptor.FromContent(MediaTypes.OciManifest, System.Text.Encoding.UTF8.GetBytes(manifestJson));
        await ContentPS.Engine.Content.ContentHelpers.WriteBlobAsync(store, "manifest", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(manifestJson)), manifest);

        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => ImageUnpack.UnpackAsync(new UnpackRequest(store, manifest, target), default));

        Assert.Equal(ErrorIds.InvalidImageConfig, ex.ErrorId);
        Assert.Contains("diff_ids has 1 entries but the manifest has 2 layers", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task AnIndexOrAnArtifactIsNotUnpacked()
    {
        var multi = await UnpackFixture.CreateAsync(_temp.Combine("multi"), LayoutScenario.MultiPlatform);
        var index = await Assert.ThrowsAsync<InvalidArgumentException>(() => multi.UnpackAsync(_temp.Combine("a")));
        Assert.Equal(ErrorIds.InvalidManifest, index.ErrorId);

        var artifact = await UnpackFixture.CreateAsync(_temp.Combine("artifact"), LayoutScenario.Artifact);
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => artifact.UnpackAsync(_temp.Combine("b")));
        Assert.Equal(ErrorIds.InvalidImageConfig, ex.ErrorId);
        Assert.False(Directory.Exists(_temp.Combine("b")));
    }

    [Fact]
    public async Task ATargetThatIsAFileIsRefused()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackHardLinks);
        var target = _temp.Combine("file");
        File.WriteAllText(target, "not a directory");

        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => fixture.UnpackAsync(target));

        Assert.Equal(ErrorIds.InvalidPath, ex.ErrorId);
        Assert.Equal("not a directory", File.ReadAllText(target));
    }

    /// <summary>The target must be what unpacking the first layer alone gives: same entries, contents, modes, times, owners.</summary>
    private async Task AssertLeftAsAfterFirstLayerAsync(string target, IReadOnlyList<FixtureLayer> layers)
    {
        var reference = await UnpackFixture.CreateAsync(_temp.Combine("reference-" + Guid.NewGuid().ToString("N")), [layers[0]]);
        var expected = _temp.Combine("expected-" + Guid.NewGuid().ToString("N"));
        await reference.UnpackAsync(expected);
        Assert.Equal(
            (await FileTree.ReadAsync(expected)).Select(e => e.Full),
            (await FileTree.ReadAsync(target)).Select(e => e.Full));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".unpack-*"));
    }

    private sealed class CallbackProgress(Action<UnpackProgress> callback) : IProgress<UnpackProgress>
    {
        public void Report(UnpackProgress value) => callback(value);
    }
}
