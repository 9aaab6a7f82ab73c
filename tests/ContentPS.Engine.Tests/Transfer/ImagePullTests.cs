using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Client;
using ContentPS.Engine.Transfer;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer;

/// <summary>Pulls of every layout scenario from the real registry (behind the fault proxy) into a fresh store.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ImagePullTests(SharedRegistry shared) : ProxiedStoreTests(shared)
{
    public enum Selection
    {
        Default,
        ArmV7,
        Arm64AndAmd64,
        All,
    }

    private static readonly Platform Host = Platforms.Parse("linux/amd64");

    public static TheoryData<LayoutScenario, Selection> Cases()
    {
        var data = new TheoryData<LayoutScenario, Selection>();
        foreach (var scenario in new[] { LayoutScenario.SinglePlatform, LayoutScenario.MultiPlatform, LayoutScenario.DockerMultiPlatform, LayoutScenario.NestedIndex, LayoutScenario.Artifact })
        {
            foreach (var selection in Enum.GetValues<Selection>())
            {
                if (!(scenario == LayoutScenario.NestedIndex && selection == Selection.ArmV7))
                {
                    data.Add(scenario, selection);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task APullLeavesExactlyTheSelectedBlobsAndARecord(LayoutScenario scenario, Selection selection)
    {
        var pushed = await PushedLayouts.GetAsync(Registry, scenario);
        var (platforms, layerPlatforms) = selection switch
        {
            Selection.Default => ((IReadOnlyList<Platform>?)null, (IReadOnlyCollection<string>?)["linux/amd64"]),
            Selection.ArmV7 => ([Platforms.Parse("linux/arm/v7")], ["linux/arm/v7"]),
            Selection.Arm64AndAmd64 => ([Platforms.Parse("linux/arm64"), Platforms.Parse("linux/amd64")], ["linux/arm64/v8", "linux/amd64"]),
            _ => (null, null),
        };

        using var host = Platforms.OverrideDefault(Host);
        var result = await ImagePull.PullAsync(Request(pushed) with { Platforms = platforms, AllPlatforms = selection == Selection.All });

        var expected = ExpectedBlobs.For(pushed.Layout, layerPlatforms, attestations: selection == Selection.All);
        Assert.Equal(expected, await StoredAsync());
        Assert.Equal(pushed.Layout.Digest, result.Root.Digest.ToString());
        var record = await new ImageRecordStore(Store.Root).GetAsync(result.Name);
        Assert.Equal(pushed.Layout.Digest, record.Target.Digest.ToString());
        Assert.Equal($"{Proxy.Host}/{pushed.Repository}:{PushedLayouts.Tag}", result.Name);
        Assert.Equal(expected.Count, result.BlobsFetched);
        Assert.Equal(0, result.BlobsPresent);
        Assert.Equal(SizeOf(pushed.Layout, expected), result.BytesFetched);
        Assert.Empty(await Store.ListStatusesAsync());
    }

    [Theory]
    [InlineData(LayoutScenario.MultiPlatform, Selection.Default, new[] { "linux/amd64" })]
    [InlineData(LayoutScenario.MultiPlatform, Selection.Arm64AndAmd64, new[] { "linux/amd64", "linux/arm64/v8" })]
    [InlineData(LayoutScenario.NestedIndex, Selection.All, new[] { "linux/amd64", "linux/arm64/v8", "linux/riscv64" })]
    [InlineData(LayoutScenario.SinglePlatform, Selection.ArmV7, new[] { "linux/amd64" })]
    public async Task TheResultNamesThePlatformsWhoseLayersWereFetched(LayoutScenario scenario, Selection selection, string[] platforms)
    {
        var pushed = await PushedLayouts.GetAsync(Registry, scenario);
        using var host = Platforms.OverrideDefault(Host);
        IReadOnlyList<Platform>? asked = selection switch
        {
            Selection.ArmV7 => [Platforms.Parse("linux/arm/v7")],
            Selection.Arm64AndAmd64 => [Platforms.Parse("linux/arm64"), Platforms.Parse("linux/amd64")],
            _ => null,
        };

        var result = await ImagePull.PullAsync(Request(pushed) with { Platforms = asked, AllPlatforms = selection == Selection.All });

        Assert.Equal(platforms, result.Platforms);
    }

    [Fact]
    public async Task AttestationsComeWholeWhenAskedFor()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        using var host = Platforms.OverrideDefault(Host);

        await ImagePull.PullAsync(Request(pushed) with { IncludeAttestations = true });

        Assert.Equal(ExpectedBlobs.For(pushed.Layout, ["linux/amd64"], attestations: true), await StoredAsync());
        Assert.Superset(ExpectedBlobs.Whole(pushed.Layout, pushed.Layout.ManifestFor(ImageLayouts.AttestationPlatform)), await StoredAsync());
    }

    [Fact]
    public async Task APlatformTheImageDoesNotHaveIsNotFoundAndWritesNoRecord()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.NestedIndex);

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            ImagePull.PullAsync(Request(pushed) with { Platforms = [Platforms.Parse("linux/arm/v7")] }));

        Assert.Equal(ErrorIds.PlatformNotFound, error.ErrorId);
        Assert.Contains("linux/arm/v7", error.Message);
        Assert.Contains("linux/riscv64", error.Message);
        Assert.Empty(await new ImageRecordStore(Store.Root).ListAsync());
        Assert.DoesNotContain(pushed.Layout.OfKind(BlobKind.Layer), layer => File.Exists(Path.Combine(Store.Root, layer.RelativePath)));
    }

    [Fact]
    public async Task ASecondPullMakesOnlyTheResolveRequest()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        using var host = Platforms.OverrideDefault(Host);
        var first = await ImagePull.PullAsync(Request(pushed));
        Proxy.ClearRequests();

        var second = await ImagePull.PullAsync(Request(pushed));

        var request = Assert.Single(Proxy.Requests);
        Assert.Equal(("HEAD", $"/v2/{pushed.Repository}/manifests/{PushedLayouts.Tag}"), (request.Method, request.Target));
        Assert.Equal((0, first.BlobsFetched, 0L), (second.BlobsFetched, second.BlobsPresent, second.BytesFetched));
        Assert.Equal(first.Root.Digest, second.Root.Digest);
    }

    [Fact]
    public async Task AKnownRootNeedsNoResolve()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.SinglePlatform);
        var root = TestRegistryClient.DescriptorOf(pushed.Layout.Top);

        var result = await ImagePull.PullAsync(Request(pushed) with { Reference = ImageReference.Parse($"{Proxy.Host}/{pushed.Repository}"), Root = root, Name = "single" });

        Assert.DoesNotContain(Proxy.Requests, r => r.Target.EndsWith("/manifests/" + PushedLayouts.Tag, StringComparison.Ordinal));
        Assert.Equal(ExpectedBlobs.Whole(pushed.Layout, pushed.Layout.Top), await StoredAsync());
        Assert.Equal(root.Digest, (await new ImageRecordStore(Store.Root).GetAsync("single")).Target.Digest);
        Assert.Equal("single", result.Name);
    }

    [Fact]
    public async Task APullThatFailsHalfWayWritesNoRecordAndTheNextOneFinishesIt()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        var layer = ExpectedBlobs.LayersOf(pushed.Layout, pushed.Layout.ManifestFor("linux/amd64"))[1];
        using var noRetries = new TestRegistryClient(o => new Engine.Remotes.RegistryClientOptions
        {
            MaximumRetryCount = 0,
            HostsDirectory = o.HostsDirectory,
            Log = o.Log,
        });
        var failing = Proxy.AddRule(FaultRule.Status(500, "/blobs/" + layer, "GET"));
        using var host = Platforms.OverrideDefault(Host);

        var error = await Assert.ThrowsAsync<InternalException>(() => ImagePull.PullAsync(Request(pushed) with { Client = noRetries.Client }));

        Assert.Contains(layer, error.Message);
        Assert.Equal(1, Proxy.Hits(failing));
        Assert.Empty(await new ImageRecordStore(Store.Root).ListAsync());
        Assert.False(File.Exists(Path.Combine(Store.Root, "blobs", "sha256", layer["sha256:".Length..])));

        Proxy.ClearRules();
        var result = await ImagePull.PullAsync(Request(pushed) with { Client = noRetries.Client });

        Assert.Equal(ExpectedBlobs.For(pushed.Layout, ["linux/amd64"], attestations: false), await StoredAsync());
        Assert.Equal(pushed.Layout.Digest, (await new ImageRecordStore(Store.Root).GetAsync(result.Name)).Target.Digest.ToString());
        Assert.Empty(await Store.ListStatusesAsync());
    }

    [Fact]
    public async Task APartialLayerIsResumedAndCounted()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.Layers);
        var layerBlob = pushed.Layout.OfKind(BlobKind.Layer).Single();
        var layer = TestRegistryClient.DescriptorOf(layerBlob);
        var content = pushed.Bytes(layerBlob);
        await using (var partial = await Store.OpenWriterAsync(FetchHandler.IngestRef(layer), layer))
        {
            await partial.WriteAsync(content.AsMemory(0, 1000));
        }

        var result = await ImagePull.PullAsync(Request(pushed));

        Assert.Equal((1, 2, 0), (result.BlobsResumed, result.BlobsFetched, result.BlobsPresent));
        Assert.Equal(pushed.Layout.Blobs.Sum(b => b.Size) - 1000, result.BytesFetched);
        Assert.Equal(pushed.Layout.Blobs.Sum(b => b.Size), result.TotalBytes);
        Assert.Contains(Proxy.Requests, r => r.Range == $"bytes=1000-{layer.Size - 1}");
    }

    [Fact]
    public async Task ACanceledPullLeavesAResumableIngestAndNoRecord()
    {
        var repository = "client/pull-cancel-" + Guid.NewGuid().ToString("N")[..8];
        var layout = await PushedLayouts.PushNewAsync(Registry, LayoutScenario.Layers, repository, PushedLayouts.Tag, new LayoutOptions { LayerSize = 3 << 20, Seed = 5 });
        var pushed = new PushedLayout(layout, repository, Registry.Host);
        var layer = TestRegistryClient.DescriptorOf(layout.OfKind(BlobKind.Layer).Single());
        Proxy.AddRule(FaultRule.Trickle(4_000_000, "/blobs/" + layer.Digest, "GET"));
        using var cancel = new CancellationTokenSource();
        // Cancel once more than one copy buffer (1 MiB) of the layer has reached the ingest.
        var canceller = new CancelAfterBytes(layer, (1 << 20) + 1, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ImagePull.PullAsync(Request(pushed) with { Tracker = canceller }, cancel.Token));

        Assert.Empty(await new ImageRecordStore(Store.Root).ListAsync());
        var partial = Assert.Single(await Store.ListStatusesAsync());
        Assert.Equal(FetchHandler.IngestRef(layer), partial.Ref);
        Assert.InRange(partial.Offset, 1 << 20, layer.Size - 1);
        Assert.DoesNotContain("Failed", canceller.Calls);

        Proxy.ClearRules();
        Proxy.ClearRequests();
        var resumed = await ImagePull.PullAsync(Request(pushed));

        Assert.Equal(1, resumed.BlobsResumed);
        Assert.Contains(Proxy.Requests, r => r.Range == $"bytes={partial.Offset}-{layer.Size - 1}");
        // The manifest and config were committed before the cancel: only the rest of the layer is fetched.
        Assert.Equal(2, resumed.BlobsPresent);
        Assert.Equal(layer.Size - partial.Offset, resumed.BytesFetched);
        Assert.Empty(await Store.ListStatusesAsync());
    }

    [Fact]
    public async Task TheTrackerSeesEveryBlobWaitThenFinish()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        var tracker = new RecordingTracker();
        using var host = Platforms.OverrideDefault(Host);

        await ImagePull.PullAsync(Request(pushed) with { Tracker = tracker });

        var expected = ExpectedBlobs.For(pushed.Layout, ["linux/amd64"], attestations: false);
        foreach (var blob in pushed.Layout.Blobs)
        {
            var states = tracker.StatesFor(Digest.Parse(blob.Digest));
            if (!expected.Contains(blob.Digest))
            {
                Assert.Empty(states);
                continue;
            }

            Assert.Equal("Waiting", states[0]);
            Assert.Equal($"Downloading {blob.Size}", states[^2]);
            Assert.Equal("Done", states[^1]);
            Assert.DoesNotContain(states, s => s.StartsWith("Failed", StringComparison.Ordinal) || s.StartsWith("Resumed", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task NonDistributableLayersAreSkippedUnlessIncluded()
    {
        var direct = TestRegistryClient.NewRepository(Registry.Host, "pull-foreign");
        var foreignBytes = "a non-distributable layer"u8.ToArray();
        var foreign = Descriptor.FromContent(MediaTypes.OciLayerNonDistributableGzip, foreignBytes);
        // The registry has it (distribution 2.8 refuses layer URLs unless configured), but the media type says: do not redistribute.
        await Client.Client.PushBlobAsync(direct, foreign, _ => Task.FromResult<Stream>(new MemoryStream(foreignBytes)));
        var (image, body) = await ImageWithAsync(direct, foreign);
        await Client.Client.PushManifestAsync(direct, image, body, "v1");
        var request = new PullRequest { Reference = ImageReference.Parse($"{Proxy.Host}/{direct.Path}:v1"), Store = Store, Client = Client.Client };

        var skipped = await ImagePull.PullAsync(request);

        Assert.Equal(3, skipped.BlobsFetched);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.InfoAsync(foreign.Digest));
        Assert.DoesNotContain(Proxy.Requests, r => r.Target.Contains(foreign.Digest.ToString(), StringComparison.Ordinal));

        var included = await ImagePull.PullAsync(request with { IncludeNonDistributable = true });

        Assert.Equal((1, 3), (included.BlobsFetched, included.BlobsPresent));
        Assert.Equal(foreignBytes.Length, (await Store.InfoAsync(foreign.Digest)).Size);
    }

    [Fact]
    public async Task TwoConcurrentPullsOfOneImageDownloadEachBlobOnce()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        using var host = Platforms.OverrideDefault(Host);
        Proxy.AddRule(FaultRule.Delay(100, "/blobs/sha256:", "GET"));

        var results = await Task.WhenAll(
            Task.Run(() => ImagePull.PullAsync(Request(pushed))),
            Task.Run(() => ImagePull.PullAsync(Request(pushed) with { Name = "second" })));

        var expected = ExpectedBlobs.For(pushed.Layout, ["linux/amd64"], attestations: false);
        Assert.Equal(expected, await StoredAsync());
        var downloads = Proxy.Requests.Where(r => r.Method == "GET" && r.Target.Contains("/sha256:", StringComparison.Ordinal))
            .GroupBy(r => r.Target[(r.Target.LastIndexOf('/') + 1)..]);
        Assert.All(downloads, d => Assert.Single(d));
        Assert.Equal(expected.Count, downloads.Count());
        Assert.Equal(expected.Count, results.Sum(r => r.BlobsFetched));
        Assert.Equal(expected.Count, results.Sum(r => r.BlobsFetched + r.BlobsPresent) / 2);
    }

    [Fact]
    public async Task ContradictoryOrBadRequestsFailBeforeAnyRequest()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.SinglePlatform);

        await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            ImagePull.PullAsync(Request(pushed) with { AllPlatforms = true, Platforms = [Host] }));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => ImagePull.PullAsync(Request(pushed) with { MaxConcurrency = 0 }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => ImagePull.PullAsync(null!));
        Assert.Empty(Proxy.Requests);
    }

    [Fact]
    public async Task AnInvalidRecordNameFailsBeforeAnyBlobIsFetched()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.SinglePlatform);

        await Assert.ThrowsAsync<InvalidArgumentException>(() => ImagePull.PullAsync(Request(pushed) with { Name = "bad name with spaces" }));

        Assert.Empty(await StoredAsync());
    }

    // An image with a config, one ordinary layer and the given (pushed) non-distributable one.
    private async Task<(Descriptor Image, byte[] Body)> ImageWithAsync(ImageReference repository, Descriptor foreign)
    {
        var config = System.Text.Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        var layer = "an ordinary layer"u8.ToArray();
        var configDescriptor = Descriptor.FromContent(MediaTypes.OciConfig, config);
        var layerDescriptor = Descriptor.FromContent(MediaTypes.OciLayerGzip, layer);
        await Client.Client.PushBlobAsync(repository, configDescriptor, _ => Task.FromResult<Stream>(new MemoryStream(config)));
        await Client.Client.PushBlobAsync(repository, layerDescriptor, _ => Task.FromResult<Stream>(new MemoryStream(layer)));
        static string Entry(Descriptor d) => $"{{\"mediaType\":\"{d.MediaType}\",\"digest\":\"{d.Digest}\",\"size\":{d.Size}}}";
        var body = System.Text.Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"config\":{Entry(configDescriptor)},"
            + $"\"layers\":[{Entry(layerDescriptor)},{Entry(foreign)}]}}");
        return (Descriptor.FromContent(MediaTypes.OciManifest, body), body);
    }

    private PullRequest Request(PushedLayout pushed) => new()
    {
        Reference = ImageReference.Parse($"{Proxy.Host}/{pushed.Repository}:{PushedLayouts.Tag}"),
        Store = Store,
        Client = Client.Client,
    };

    private async Task<SortedSet<string>> StoredAsync()
    {
        var stored = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var info in Store.WalkAsync())
        {
            stored.Add(info.Digest.ToString());
        }

        return stored;
    }

    private static long SizeOf(LayoutResult layout, IEnumerable<string> digests) =>
        digests.Sum(d => layout.Blobs.Single(b => b.Digest == d).Size);

    /// <summary>Cancels when the layer's download passes a number of bytes; keeps the call names it saw.</summary>
    private sealed class CancelAfterBytes(Descriptor layer, long bytes, CancellationTokenSource cancel) : ITransferTracker
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _calls = new();

        public IReadOnlyList<string> Calls => _calls.ToArray();

        public void Waiting(Descriptor blob) => _calls.Enqueue("Waiting");

        public void Downloading(Descriptor blob, long offset)
        {
            if (blob.Digest.Equals(layer.Digest) && offset >= bytes && !cancel.IsCancellationRequested)
            {
                _ = Task.Run(cancel.Cancel);
            }
        }

        public void Resumed(Descriptor blob, long fromOffset) => _calls.Enqueue("Resumed");

        public void Done(Descriptor blob) => _calls.Enqueue("Done");

        public void AlreadyPresent(Descriptor blob) => _calls.Enqueue("AlreadyPresent");

        public void Failed(Descriptor blob, Exception error) => _calls.Enqueue("Failed");
    }
}
