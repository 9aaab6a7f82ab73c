using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Client;
using ContentPS.Engine.Transfer.Copy;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer.Copy;

/// <summary>
/// Copy tests: the shared registry behind <see cref="ProxiedStoreTests.Proxy"/> (the source, and the
/// destination of same-registry copies), and a second, separate registry behind <see cref="OtherProxy"/>.
/// Both proxies log every request, so tests count what reached each registry.
/// </summary>
public abstract class CopyTestBase(SharedRegistry shared) : ProxiedStoreTests(shared), IAsyncLifetime
{
    private static readonly Lazy<Task<RegistryFixture>> s_other = new(StartOtherAsync);

    protected RegistryFixture Other { get; private set; } = null!;

    protected FaultProxy OtherProxy { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Other = await s_other.Value;
        OtherProxy = await FaultProxy.StartAsync(Other.BaseUri);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await OtherProxy.DisposeAsync();
        await DisposeAsync();
    }

    /// <summary>Writes a layout and pushes it (skopeo, straight to the shared registry) as <c>v1</c> of a new repository; the reference names it through the proxy.</summary>
    protected async Task<(LayoutResult Layout, ImageReference Reference)> PushSourceAsync(LayoutScenario scenario, string name, LayoutOptions? options = null)
    {
        var repository = TestRegistryClient.NewRepository(Proxy.Host, name);
        var layout = await PushedLayouts.PushNewAsync(Registry, scenario, repository.Path, "v1", options);
        return (layout, repository.WithTag("v1"));
    }

    protected static ImageReference NewRepository(string host, string name) => TestRegistryClient.NewRepository(host, name);

    protected Task<CopyResult> CopyAsync(ImageReference source, ImageReference destination, Func<CopyRequest, CopyRequest>? configure = null)
    {
        var request = new CopyRequest
        {
            Source = new RegistryImageLocation(source),
            Destination = new RegistryImageLocation(destination),
            Client = Client.Client,
        };
        return ImageCopy.CopyAsync(configure?.Invoke(request) ?? request);
    }

    /// <summary>Configs and layers of the layout (what copies push as blobs).</summary>
    protected static IReadOnlyList<LayoutBlob> BlobsOf(LayoutResult layout) =>
        layout.Blobs.Where(b => b.Kind is BlobKind.Config or BlobKind.Layer).DistinctBy(b => b.Digest).ToList();

    protected static IReadOnlyList<LayoutBlob> ManifestsOf(LayoutResult layout) =>
        layout.Blobs.Where(b => b.Kind is BlobKind.Manifest or BlobKind.Index).DistinctBy(b => b.Digest).ToList();

    /// <summary>The requests of a proxy's log that write to <paramref name="repository"/>'s uploads (POST, PUT, PATCH).</summary>
    protected static IReadOnlyList<FaultRequest> UploadRequests(FaultProxy proxy, ImageReference repository) =>
        proxy.Requests.Where(r => r.Target.StartsWith($"/v2/{repository.Path}/blobs/uploads", StringComparison.Ordinal) && r.Method != "DELETE").ToList();

    protected static IReadOnlyList<FaultRequest> ManifestPuts(FaultProxy proxy) =>
        proxy.Requests.Where(r => r.Method == "PUT" && r.Target.Contains("/manifests/", StringComparison.Ordinal)).ToList();

    /// <summary>Whether the registry has every blob and manifest of <paramref name="blobs"/> in <paramref name="repository"/>.</summary>
    protected async Task<IReadOnlyList<string>> MissingAsync(ImageReference repository, IEnumerable<LayoutBlob> blobs)
    {
        var missing = new List<string>();
        foreach (var blob in blobs)
        {
            var present = blob.Kind is BlobKind.Manifest or BlobKind.Index
                ? await Client.Client.TryGetManifestAsync(repository, blob.Digest) is not null
                : await Client.Client.TryGetBlobAsync(repository, Digest.Parse(blob.Digest)) is not null;
            if (!present)
            {
                missing.Add(blob.Digest);
            }
        }

        return missing;
    }

    protected async Task<Descriptor?> TagAsync(ImageReference repository, string tag) => await Client.Client.TryGetManifestAsync(repository, tag);

    /// <summary>The config and layer digests a manifest of the layout names.</summary>
    protected static IReadOnlyList<string> ChildrenOf(LayoutResult layout, LayoutBlob manifest)
    {
        using var json = FixtureTools.ReadJson(layout, manifest);
        var root = json.RootElement;
        return [root.GetProperty("config").GetProperty("digest").GetString()!,
            .. root.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!)];
    }

    private static async Task<RegistryFixture> StartOtherAsync()
    {
        var registry = await RegistryFixture.StartAsync(RegistryFlavor.Plain);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => registry.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return registry;
    }
}
