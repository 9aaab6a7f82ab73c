using System.Collections.Concurrent;
using System.Text.Json;
using ContentPS.Engine.Content;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Images.Handlers;

/// <summary>A layout scenario written to disk and every one of its blobs imported into a fresh local store.</summary>
internal sealed class LayoutStore : IDisposable
{
    private readonly TempDirectory _temp;

    private LayoutStore(TempDirectory temp, LayoutResult layout, LocalContentStore store)
    {
        _temp = temp;
        Layout = layout;
        Store = store;
    }

    public LayoutResult Layout { get; }

    public LocalContentStore Store { get; }

    public ContentStoreManifestSource Source => new(Store);

    public Descriptor Top => DescriptorOf(Layout.Top);

    public static async Task<LayoutStore> CreateAsync(LayoutScenario scenario)
    {
        var temp = new TempDirectory();
        var layout = ImageLayouts.Create(scenario, temp.Combine("layout"));
        var root = temp.Combine("store");
        var store = new LocalContentStore(root, new FileLabelStore(root));
        foreach (var blob in layout.Blobs)
        {
            await BlobImport.ImportFileAsync(store, FixtureTools.BlobPath(layout, blob));
        }
        return new LayoutStore(temp, layout, store);
    }

    public static Descriptor DescriptorOf(LayoutBlob blob) =>
        new() { MediaType = blob.MediaType, Digest = Digest.Parse(blob.Digest), Size = blob.Size };

    public LayoutBlob Blob(string digest) => Layout.Blobs.Single(b => b.Digest == digest);

    /// <summary>The descriptors a manifest or index body of the layout lists, read straight from its JSON: (config, layers) or manifests.</summary>
    public (string? Config, IReadOnlyList<string> Children) ListedIn(LayoutBlob blob)
    {
        using var json = FixtureTools.ReadJson(Layout, blob);
        var root = json.RootElement;
        if (root.TryGetProperty("manifests", out var manifests))
        {
            return (null, manifests.EnumerateArray().Select(Digest).ToList());
        }
        return (Digest(root.GetProperty("config")), root.GetProperty("layers").EnumerateArray().Select(Digest).ToList());

        static string Digest(JsonElement e) => e.GetProperty("digest").GetString()!;
    }

    /// <summary>A handler that records every digest it sees, in order.</summary>
    public static ImageHandler Recorder(ConcurrentQueue<string> seen) => (node, _) =>
    {
        seen.Enqueue(node.Descriptor.Digest.ToString());
        return ValueTask.FromResult(HandlerResult.None);
    };

    public void Dispose() => _temp.Dispose();
}
