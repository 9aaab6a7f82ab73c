using System.Text;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Unpack;
using ContentPS.TestFixtures;
using static ContentPS.TestFixtures.FilesystemEntry;

namespace ContentPS.Engine.Tests.Unpack;

/// <summary>What an unpack leaves: whiteouts, links, compressions, modes, times, devices and owners.</summary>
public sealed class UnpackFilesystemTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task WhiteoutsAndOpaqueDirectoriesHideOnlyLowerLayers()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackWhiteouts);
        var target = _temp.Combine("rootfs");

        var result = await fixture.UnpackAsync(target);

        Assert.Equal(
            ["etc", "etc/keep.conf", "etc/remove.conf", "opt", "usr", "usr/share", "usr/share/same-layer", "var", "var/cache", "var/cache/early", "var/cache/upper"],
            (await FileTree.ReadAsync(target)).Select(e => e.Path));
        Assert.Equal("back again\n", File.ReadAllText(Path.Combine(target, "etc/remove.conf")));
        Assert.Equal(3, result.Layers);
        Assert.Equal(0, result.SkippedEntries);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path, ".rootfs.unpack-*"));
    }

    [Fact]
    public async Task HardLinksJoinFilesOfTheSameAndOfEarlierLayers()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackHardLinks);
        var target = _temp.Combine("rootfs");

        await fixture.UnpackAsync(target);

        var tree = await FileTree.ReadAsync(target);
        var inodes = tree.Where(e => e.Path is "usr/bin/tool" or "usr/bin/tool-alias" or "usr/local/bin/tool2").Select(e => e.Inode).Distinct();
        Assert.Single(inodes);
        Assert.All(tree.Where(e => e.Type == 'f'), e => Assert.Equal("755", e.Mode));
        File.AppendAllText(Path.Combine(target, "usr/bin/tool"), "# changed\n");
        Assert.EndsWith("# changed\n", File.ReadAllText(Path.Combine(target, "usr/local/bin/tool2")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SymlinkChainsAreKeptAndRelativeDirectoryLinksAreWrittenThrough()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackSymlinks);
        var target = _temp.Combine("rootfs");

        await fixture.UnpackAsync(target);

        var tree = (await FileTree.ReadAsync(target)).ToDictionary(e => e.Path);
        Assert.Equal(('l', "libdemo.so.1"), (tree["usr/lib/libdemo.so"].Type, tree["usr/lib/libdemo.so"].LinkTarget));
        Assert.Equal(('l', "libdemo.so.1.2.3"), (tree["usr/lib/libdemo.so.1"].Type, tree["usr/lib/libdemo.so.1"].LinkTarget));
        Assert.Equal("pretend ELF\n", File.ReadAllText(Path.Combine(target, "usr/lib/libdemo.so")));
        Assert.Equal(('l', "usr/lib"), (tree["lib"].Type, tree["lib"].LinkTarget));
        Assert.Equal(('l', "/usr/share/zoneinfo/UTC"), (tree["etc/localtime"].Type, tree["etc/localtime"].LinkTarget));
        Assert.Equal("extra\n", File.ReadAllText(Path.Combine(target, "usr/lib/extra.so")));
        Assert.Equal("chained\n", File.ReadAllText(Path.Combine(target, "usr/lib/chained.so")));
        Assert.Equal('f', tree["etc/dangling"].Type);
        Assert.Equal("now a file\n", File.ReadAllText(Path.Combine(target, "etc/dangling")));
        Assert.Equal(FilesystemEntry.DefaultTime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), tree["lib"].Modified.Split('.')[0]);
    }

    [Fact]
    public async Task ZstdGzipAndPlainTarLayersAreAllApplied()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackZstd);
        var target = _temp.Combine("rootfs");

        var result = await fixture.UnpackAsync(target);

        Assert.Equal(
            [MediaTypes.OciLayerZstd, MediaTypes.OciLayerGzip, MediaTypes.OciLayer],
            fixture.Layers.Select(l => l.MediaType));
        Assert.Equal("hello from a zstd layer\n", File.ReadAllText(Path.Combine(target, "zstd/hello.txt")));
        Assert.Equal("hello from a gzip layer\n", File.ReadAllText(Path.Combine(target, "gzip/hello.txt")));
        Assert.Equal("hello from a plain tar layer\n", File.ReadAllText(Path.Combine(target, "plain/hello.txt")));
        Assert.Equal(3, result.Files);
        Assert.Equal(Encoding.UTF8.GetByteCount("hello from a zstd layer\nhello from a gzip layer\nhello from a plain tar layer\n"), result.Bytes);
        Assert.Equal("linux/amd64", Platforms.Format(result.Platform!));
    }

    [Fact]
    public async Task ADockerDiffTarLayerWhoseBytesAreGzipIsSniffed()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackDockerGzipDiffTar);
        var target = _temp.Combine("rootfs");

        await fixture.UnpackAsync(target);

        Assert.Equal([MediaTypes.DockerLayerGzip, MediaTypes.DockerLayer], fixture.Layers.Select(l => l.MediaType));
        Assert.Equal("typed gzip\n", File.ReadAllText(Path.Combine(target, "docker/first.txt")));
        Assert.Equal("gzip bytes typed as a plain tar\n", File.ReadAllText(Path.Combine(target, "docker/second.txt")));
    }

    [Fact]
    public async Task ModesAndTimesOfFilesAndDirectoriesAreTheHeaders()
    {
        var when = new DateTimeOffset(2021, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var fixture = await UnpackFixture.CreateAsync(_temp.Path,
        [
            FixtureLayer.Of(
                Dir("locked/", (UnixFileMode)0b101_101_101) with { ModificationTime = when },
                Regular("locked/script", "#!/bin/sh\n", (UnixFileMode)0b111_100_000) with { ModificationTime = when.AddDays(1) }),
            FixtureLayer.Of(Regular("locked/later", "written into a read-only directory of the layer below\n", (UnixFileMode)0b100_000_000)),
        ]);
        var target = _temp.Combine("rootfs");

        await fixture.UnpackAsync(target);

        var tree = (await FileTree.ReadAsync(target)).ToDictionary(e => e.Path);
        Assert.Equal("555", tree["locked"].Mode);
        Assert.Equal(when.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), tree["locked"].Modified.Split('.')[0]);
        Assert.Equal("740", tree["locked/script"].Mode);
        Assert.Equal(when.AddDays(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), tree["locked/script"].Modified.Split('.')[0]);
        Assert.Equal("400", tree["locked/later"].Mode);
    }

    [Fact]
    public async Task DevicesAndOwnersNeedPreserveOwnership()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackDevices);
        var plain = _temp.Combine("plain");

        var result = await fixture.UnpackAsync(plain);

        var tree = (await FileTree.ReadAsync(plain)).ToDictionary(e => e.Path);
        Assert.False(tree.ContainsKey("dev/null-copy"));
        Assert.Equal('p', tree["dev/pipe"].Type);
        Assert.Equal("4755", tree["owned/setuid"].Mode);
        Assert.Equal(1, result.SkippedEntries);
        Assert.Contains("dev/null-copy", Assert.Single(result.SkippedReasons), StringComparison.Ordinal);
        Assert.Contains(fixture.Layers[0].Digest, result.SkippedReasons[0], StringComparison.Ordinal);
        Assert.NotEqual("1234:5678", tree["owned/setuid"].Owner);

        if (!Environment.IsPrivilegedProcess)
        {
            return; // the rest needs root: devices and chown
        }

        var preserved = _temp.Combine("preserved");
        var withOwners = await fixture.UnpackAsync(preserved, r => r with { PreserveOwnership = true });

        var owned = (await FileTree.ReadAsync(preserved)).ToDictionary(e => e.Path);
        Assert.Equal('c', owned["dev/null-copy"].Type);
        Assert.Equal("1234:5678", owned["owned/setuid"].Owner);
        Assert.Equal("4755", owned["owned/setuid"].Mode);
        Assert.Equal(0, withOwners.SkippedEntries);
    }

    [Fact]
    public async Task IncludeWritesOnlyMatchingEntriesTheirParentsAndAppliesWhiteoutsAmongThem()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path,
        [
            FixtureLayer.Of(
                Dir("etc/", (UnixFileMode)0b111_000_000), Dir("etc/ssl/"), Dir("etc/ssl/certs/"), Regular("etc/ssl/certs/a.pem", "a"), Regular("etc/ssl/certs/b.pem", "b"),
                Regular("etc/passwd", "root"), Dir("usr/"), Dir("usr/bin/"), Regular("usr/bin/tool", "tool"), Regular("usr/bin/other", "other")),
            FixtureLayer.Of(Whiteout("etc/ssl/certs/b.pem"), Regular("etc/ssl/certs/c.pem", "c"), Whiteout("etc/passwd")),
        ]);
        var target = _temp.Combine("rootfs");

        var result = await fixture.UnpackAsync(target, r => r with { Include = ["/etc/ssl/**", "usr/bin/t*l"] });

        Assert.Equal(
            ["etc", "etc/ssl", "etc/ssl/certs", "etc/ssl/certs/a.pem", "etc/ssl/certs/c.pem", "usr", "usr/bin", "usr/bin/tool"],
            (await FileTree.ReadAsync(target)).Select(e => e.Path));
        Assert.Equal("700", (await FileTree.ReadAsync(target)).Single(e => e.Path == "etc").Mode);
        Assert.Equal(4, result.Files); // a.pem, b.pem (whited out later), tool, c.pem
    }

    [Fact]
    public async Task ProgressReportsEveryLayerDone()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, LayoutScenario.UnpackZstd);
        var reports = new List<UnpackProgress>();
        var progress = new SynchronousProgress<UnpackProgress>(reports.Add);

        await fixture.UnpackAsync(_temp.Combine("rootfs"), r => r with { Progress = progress });

        var done = reports.Where(r => r.LayerDone).ToList();
        Assert.Equal([1, 2, 3], done.Select(r => r.Layer));
        Assert.All(done, r => Assert.Equal(3, r.LayerCount));
        Assert.Equal(fixture.Layers.Select(l => l.Digest), done.Select(r => r.LayerDescriptor.Digest.ToString()));
        Assert.Equal(3, done[^1].Files);
    }

    [Fact]
    public async Task UnpackingIntoAnExistingTreeReplacesWhatTheLayersName()
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Path, [FixtureLayer.Of(Dir("a/"), Regular("a/file", "new"))]);
        var target = _temp.Combine("rootfs");
        Directory.CreateDirectory(Path.Combine(target, "a", "file"));
        File.WriteAllText(Path.Combine(target, "a", "file", "inside"), "old");
        File.WriteAllText(Path.Combine(target, "kept"), "kept");

        await fixture.UnpackAsync(target);

        Assert.Equal(["a", "a/file", "kept"], (await FileTree.ReadAsync(target)).Select(e => e.Path));
        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "a", "file")));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly object _gate = new();

        public void Report(T value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
