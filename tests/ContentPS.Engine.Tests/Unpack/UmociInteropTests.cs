using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Unpack;

/// <summary>
/// The good unpack fixtures unpacked by <c>umoci raw unpack --rootless</c> and by ContentPS: the same entries, types,
/// modes, contents, link targets and hard-link groups. umoci 0.4 reads neither zstd layers nor Docker media types,
/// so for those it unpacks the same layers written as OCI tar+gzip.
/// </summary>
public sealed class UmociInteropTests : IDisposable
{
    // umoci --rootless writes an empty file where a device node would go; ContentPS without PreserveOwnership skips it.
    private static readonly HashSet<string> RootlessDevices = new(StringComparer.Ordinal) { "dev/null-copy" };

    private readonly TempDirectory _temp = new();

    public static TheoryData<LayoutScenario> GoodScenarios() => new(
        LayoutScenario.UnpackWhiteouts,
        LayoutScenario.UnpackHardLinks,
        LayoutScenario.UnpackSymlinks,
        LayoutScenario.UnpackZstd,
        LayoutScenario.UnpackDockerGzipDiffTar,
        LayoutScenario.UnpackDevices);

    public void Dispose() => _temp.Dispose();

    [UmociTheory]
    [MemberData(nameof(GoodScenarios))]
    public async Task UmociAndContentPSUnpackTheSameTree(LayoutScenario scenario)
    {
        var fixture = await UnpackFixture.CreateAsync(_temp.Combine("ours"), scenario);
        var ours = _temp.Combine("ours-rootfs");
        await fixture.UnpackAsync(ours);

        var layers = UnpackScenarios.Layers(scenario)!;
        var readable = fixture.Layers.All(l => l.MediaType is LayoutMediaTypes.OciLayerGzip or LayoutMediaTypes.OciLayer)
            ? fixture.Layout
            : UnpackScenarios.Create(_temp.Combine("umoci-layout"), [.. layers.Select(l => l with { Compression = LayerCompression.Gzip, MediaType = null })]);
        var theirs = _temp.Combine("umoci-rootfs");
        await ToolRunner.RunCheckedAsync("umoci", "raw", "unpack", "--rootless", "--image", $"{readable.Directory}:{readable.RefName}", theirs);

        var expected = (await FileTree.ReadAsync(theirs)).Where(e => !RootlessDevices.Contains(e.Path)).ToList();
        var actual = (await FileTree.ReadAsync(ours)).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(e => e.Shape), actual.Select(e => e.Shape));
        Assert.Equal(HardLinkGroups(expected), HardLinkGroups(actual));
    }

    private static List<string> HardLinkGroups(IEnumerable<FileTreeEntry> tree) =>
        tree.Where(e => e.Type == 'f')
            .GroupBy(e => e.Inode)
            .Where(g => g.Count() > 1)
            .Select(g => string.Join(",", g.Select(e => e.Path).Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();
}
