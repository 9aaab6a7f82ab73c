using ContentPS.Engine.Content;
using ContentPS.Engine.Images;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Client;
using ContentPS.Engine.Transfer;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer;

/// <summary>A pull of an image the store has already writes nothing that would not change: no label file, no index.json.</summary>
[Collection(RegistryCollection.Name)]
public sealed class PullAgainTests(SharedRegistry shared) : ProxiedStoreTests(shared)
{
    [Fact]
    public async Task APullOfAnImageThatIsThereRewritesNeitherLabelsNorTheRecord()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        await ImagePull.PullAsync(Request(pushed));
        var before = Files();
        Assert.Contains(before.Keys, path => path.Contains("labels", StringComparison.Ordinal));

        var again = await ImagePull.PullAsync(Request(pushed));

        Assert.Equal(0, again.BlobsFetched);
        Assert.Equal(before, Files());
    }

    [Fact]
    public async Task ALabelRemovedSinceTheFirstPullAndAnotherNameAreWritten()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        var first = await ImagePull.PullAsync(Request(pushed));
        var index = first.Root.Digest;
        var key = (await Store.InfoAsync(index)).Labels.Keys.First(k => k.StartsWith(ContentLabels.GcRefManifestPrefix, StringComparison.Ordinal));
        var value = (await Store.InfoAsync(index)).Labels[key];
        await Store.UpdateAsync(new ContentInfo { Digest = index, Size = first.Root.Size, CreatedAt = default, UpdatedAt = default, Labels = new Dictionary<string, string>() }, ["labels." + key]);
        Assert.False((await Store.InfoAsync(index)).Labels.ContainsKey(key));

        await ImagePull.PullAsync(Request(pushed) with { Name = "again" });

        Assert.Equal(value, (await Store.InfoAsync(index)).Labels[key]);
        var records = await new ImageRecordStore(Store.Root).ListAsync();
        Assert.Equal(new[] { first.Name, "again" }, records.Select(r => r.Name));
        Assert.All(records, r => Assert.Equal(index, r.Target.Digest));
    }

    private PullRequest Request(PushedLayout pushed) => new()
    {
        Reference = ImageReference.Parse($"{Proxy.Host}/{pushed.Repository}:{PushedLayouts.Tag}"),
        Store = Store,
        Client = Client.Client,
        AllPlatforms = true,
    };

    // Every label file and index.json: when last written, and what they hold (label files carry their own update time).
    private SortedDictionary<string, string> Files()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var labels = new FileLabelStore(Store.Root).LabelsDirectory;
        foreach (var path in Directory.EnumerateFiles(labels, "*.json", SearchOption.AllDirectories).Append(Path.Combine(Store.Root, "index.json")))
        {
            files[path] = $"{File.GetLastWriteTimeUtc(path).Ticks} {File.ReadAllText(path)}";
        }

        return files;
    }
}
