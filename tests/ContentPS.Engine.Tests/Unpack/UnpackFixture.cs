using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Archives;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Unpack;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Unpack;

/// <summary>A fixture image put into a fresh store, ready to unpack into directories of one temp folder.</summary>
internal sealed class UnpackFixture
{
    private UnpackFixture(LocalContentStore store, LayoutResult layout)
    {
        Store = store;
        Layout = layout;
    }

    public LocalContentStore Store { get; }

    public LayoutResult Layout { get; }

    public Descriptor Manifest => ArchiveTestStore.DescriptorOf(Layout.Top);

    public IReadOnlyList<LayoutBlob> Layers =>
        FixtureTools.ReadJson(Layout, Layout.Top).RootElement.GetProperty("layers").EnumerateArray()
            .Select(l => Layout.Blobs.Single(b => b.Digest == l.GetProperty("digest").GetString())).ToList();

    public static Task<UnpackFixture> CreateAsync(string directory, LayoutScenario scenario) =>
        LoadAsync(directory, ImageLayouts.Create(scenario, Path.Combine(directory, "layout")));

    public static Task<UnpackFixture> CreateAsync(string directory, IReadOnlyList<FixtureLayer> layers, bool docker = false) =>
        LoadAsync(directory, UnpackScenarios.Create(Path.Combine(directory, "layout"), layers, docker));

    private static async Task<UnpackFixture> LoadAsync(string directory, LayoutResult layout)
    {
        var store = LocalContentStore.Open(Path.Combine(directory, "store"));
        await ArchiveTestStore.AddAsync(store, layout, "fixture:latest");
        return new UnpackFixture(store, layout);
    }

    public Task<UnpackResult> UnpackAsync(string target, Func<UnpackRequest, UnpackRequest>? configure = null, CancellationToken cancellationToken = default)
    {
        var request = new UnpackRequest(Store, Manifest, target);
        return ImageUnpack.UnpackAsync(configure is null ? request : configure(request), cancellationToken);
    }
}
