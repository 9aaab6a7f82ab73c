using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Graph;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Client;
using ContentPS.Engine.Tests.Transfer;
using ContentPS.Engine.Transfer;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Images.Graph;

/// <summary>The streaming walk against the real registry (behind the fault proxy): what it visits, in which order, and when it reads.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ImageGraphTests(SharedRegistry shared) : ProxiedStoreTests(shared)
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
        foreach (var scenario in Enum.GetValues<LayoutScenario>())
        {
            foreach (var selection in Enum.GetValues<Selection>())
            {
                // The nested index offers no arm/v7: that selection is an error, tested on its own.
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
    public async Task TheWalkVisitsWhatThePullFetches(LayoutScenario scenario, Selection selection)
    {
        var pushed = await PushedLayouts.GetAsync(Registry, scenario);
        using var host = Platforms.OverrideDefault(Host);
        var options = Options(selection);

        await PullAsync(pushed, options);
        var walked = await WalkAsync(Root(pushed), RegistrySource(pushed), options);

        // The pull fetches every distinct digest it visits, non-distributable layers left out.
        var fetchable = walked.Where(n => !MediaTypes.IsNonDistributable(n.Node.Descriptor.MediaType)).Select(n => n.Node.Descriptor.Digest.ToString());
        Assert.Equal(await StoredAsync(), new SortedSet<string>(fetchable, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TheOrderIsTheSequentialWalkOfThePullSelection(LayoutScenario scenario, Selection selection)
    {
        var pushed = await PushedLayouts.GetAsync(Registry, scenario);
        using var host = Platforms.OverrideDefault(Host);
        var options = Options(selection);
        var expected = new List<string>();
        var pullSelection = new PullSelection(options.Platforms ?? [Host], options.AllPlatforms, includeAttestations: false);
        var children = pullSelection.Wrap(ImageHandlers.Children(RegistrySource(pushed)));
        await ImageHandlers.WalkAsync(async (node, token) =>
        {
            expected.Add(Describe(node));
            return await children(node, token);
        }, [Root(pushed)]);

        var walked = await WalkAsync(Root(pushed), RegistrySource(pushed), options);

        Assert.Equal(expected, walked.Select(n => Describe(n.Node)));
    }

    [Theory]
    [InlineData(LayoutScenario.MultiPlatform, Selection.Default)]
    [InlineData(LayoutScenario.NestedIndex, Selection.All)]
    [InlineData(LayoutScenario.Artifact, Selection.Default)]
    public async Task AWalkOfTheStoreAfterAPullEqualsTheRegistryWalk(LayoutScenario scenario, Selection selection)
    {
        var pushed = await PushedLayouts.GetAsync(Registry, scenario);
        using var host = Platforms.OverrideDefault(Host);
        var options = Options(selection);
        await PullAsync(pushed, options);
        var fromRegistry = await WalkAsync(Root(pushed), RegistrySource(pushed), options);
        Proxy.ClearRequests();

        var fromStore = await WalkAsync(Root(pushed), new ContentStoreManifestSource(Store), options);

        Assert.Equal(fromRegistry.Select(n => (Describe(n.Node), n.Kind)), fromStore.Select(n => (Describe(n.Node), n.Kind)));
        Assert.Empty(Proxy.Requests);
    }

    [Fact]
    public async Task KindsAndPlatformsOfAMultiPlatformImage()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);

        var walked = await WalkAsync(Root(pushed), RegistrySource(pushed), new GraphWalkOptions { AllPlatforms = true });

        var layout = pushed.Layout;
        Assert.Equal(DescriptorKind.Index, walked[0].Kind);
        Assert.Equal(layout.OfKind(BlobKind.Manifest).Count(), walked.Count(n => n.Kind is DescriptorKind.Manifest or DescriptorKind.Attestation));
        var attestation = Assert.Single(walked, n => n.Kind == DescriptorKind.Attestation);
        Assert.Equal(layout.ManifestFor(ImageLayouts.AttestationPlatform).Digest, attestation.Node.Descriptor.Digest.ToString());
        var arm64 = layout.ManifestFor("linux/arm64/v8");
        var arm64Blobs = walked.Where(n => n.Node.Parent?.Descriptor.Digest.ToString() == arm64.Digest).ToList();
        Assert.Equal([DescriptorKind.Config, .. Enumerable.Repeat(DescriptorKind.Layer, arm64Blobs.Count - 1)], arm64Blobs.Select(n => n.Kind));
        Assert.All(arm64Blobs, n => Assert.Equal("linux/arm64/v8", Platforms.Format(DescriptorKinds.PlatformOf(n.Node)!)));
        Assert.Equal(ExpectedBlobs.LayersOf(layout, arm64), arm64Blobs.Skip(1).Select(n => n.Node.Descriptor.Digest.ToString()));
        Assert.Null(DescriptorKinds.PlatformOf(walked[0].Node));
    }

    [Fact]
    public async Task AnArtifactRootIsAnArtifactWithItsConfigAndBlob()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.Artifact);

        var walked = await WalkAsync(Root(pushed), RegistrySource(pushed), new GraphWalkOptions());

        Assert.Equal([DescriptorKind.Artifact, DescriptorKind.Config, DescriptorKind.Layer], walked.Select(n => n.Kind));
        Assert.Equal(pushed.Layout.Top.ArtifactType, walked[0].Document!.ArtifactType);
        Assert.Equal([0, 1], walked.Skip(1).Select(n => n.Node.Position!.Value));
    }

    [Fact]
    public async Task TheFirstNodeIsYieldedBeforeAnyChildIsReadAndStoppingThereReadsNothingMore()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.NestedIndex);
        var options = new GraphWalkOptions { AllPlatforms = true };

        await using (var walk = ImageGraph.WalkAsync(Root(pushed), RegistrySource(pushed), options).GetAsyncEnumerator())
        {
            Assert.True(await walk.MoveNextAsync());
            Assert.Equal(pushed.Layout.Digest, walk.Current.Node.Descriptor.Digest.ToString());
            Assert.Equal([pushed.Layout.Digest], ManifestReads());
        }

        Assert.Equal([pushed.Layout.Digest], ManifestReads());
        Proxy.ClearRequests();
        var all = await WalkAsync(Root(pushed), RegistrySource(pushed), options);
        var documents = all.Where(n => n.Document is not null).Select(n => n.Node.Descriptor.Digest.ToString()).ToList();
        Assert.Equal(pushed.Layout.Blobs.Count(b => b.Kind is BlobKind.Index or BlobKind.Manifest), documents.Count);
        Assert.Equal(documents.Order(StringComparer.Ordinal), ManifestReads().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DisposingTheWalkCancelsTheReadsItStartedAhead()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        var layout = pushed.Layout;
        var first = layout.ManifestFor("linux/amd64");
        // Every manifest but the first child answers only after a minute: the walk reads them ahead, then is dropped.
        Proxy.AddRule(FaultRule.Delay(0, "/manifests/" + layout.Digest, "GET"));
        var slow = Proxy.AddRule(FaultRule.Delay(60_000, "/manifests/sha256:(?!" + first.Encoded + ")", "GET"));
        var readAhead = layout.OfKind(BlobKind.Manifest).Count() - 1;
        // A hang guard only: were the reads awaited rather than canceled, it would cancel them and fail the test.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(45));

        await using (var walk = ImageGraph.WalkAsync(Root(pushed), RegistrySource(pushed), new GraphWalkOptions { AllPlatforms = true }, guard.Token).GetAsyncEnumerator())
        {
            Assert.True(await walk.MoveNextAsync());
            Assert.True(await walk.MoveNextAsync());
            Assert.Equal(first.Digest, walk.Current.Node.Descriptor.Digest.ToString());
            while (Proxy.Requests.Count(r => r.RuleId == slow) < readAhead)
            {
                await Task.Delay(20, guard.Token);
            }
        }

        Assert.False(guard.IsCancellationRequested);
        var delayed = Proxy.Requests.Where(r => r.RuleId == slow).ToList();
        Assert.Equal(readAhead, delayed.Count);
        Assert.All(delayed, r => Assert.Equal(0, r.Status));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 5)]
    public async Task MaxDepthStopsTheWalkAndItsReads(int depth, int count)
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);

        var walked = await WalkAsync(Root(pushed), RegistrySource(pushed), new GraphWalkOptions { AllPlatforms = true, MaxDepth = depth });

        Assert.Equal(count, walked.Count);
        Assert.All(walked, n => Assert.True(n.Node.Depth <= depth));
        Assert.Equal([pushed.Layout.Digest], ManifestReads());
        Assert.Equal(DescriptorKind.Index, walked[0].Kind);
        Assert.NotNull(walked[0].Document);
        Assert.All(walked.Skip(1), n => Assert.Null(n.Document));
    }

    [Fact]
    public async Task APlatformNoIndexOffersIsNotFoundAfterTheWalkAsForThePull()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.NestedIndex);
        var options = new GraphWalkOptions { Platforms = [Platforms.Parse("linux/arm/v7")] };
        var seen = new List<WalkedNode>();

        var error = await Assert.ThrowsAsync<NotFoundException>(async () =>
        {
            await foreach (var node in ImageGraph.WalkAsync(Root(pushed), RegistrySource(pushed), options))
            {
                seen.Add(node);
            }
        });

        Assert.Equal(ErrorIds.PlatformNotFound, error.ErrorId);
        Assert.Contains("linux/arm/v7", error.Message);
        Assert.Contains("linux/riscv64", error.Message);
        Assert.Equal(pushed.Layout.Blobs.Count(b => b.Kind is not BlobKind.Layer), seen.Count);
    }

    [Fact]
    public async Task AManifestThatCannotBeReadFailsTheWalkWhereItIsReached()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        var arm = pushed.Layout.ManifestFor("linux/arm/v7");
        Proxy.AddRule(FaultRule.Status(404, "/manifests/" + arm.Digest, "GET"));
        var seen = new List<string>();

        var error = await Assert.ThrowsAsync<NotFoundException>(async () =>
        {
            await foreach (var node in ImageGraph.WalkAsync(Root(pushed), RegistrySource(pushed), new GraphWalkOptions { AllPlatforms = true }))
            {
                seen.Add(node.Node.Descriptor.Digest.ToString());
            }
        });

        Assert.Contains(arm.Digest, error.Message);
        Assert.Contains(pushed.Layout.ManifestFor("linux/arm64/v8").Digest, seen);
        Assert.DoesNotContain(arm.Digest, seen);
        Assert.DoesNotContain(pushed.Layout.ManifestFor(ImageLayouts.AttestationPlatform).Digest, seen);
    }

    [Fact]
    public async Task BadOptionsFailBeforeAnyRequest()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.SinglePlatform);

        await Assert.ThrowsAsync<InvalidArgumentException>(() => WalkAsync(Root(pushed), RegistrySource(pushed), new GraphWalkOptions { MaxDepth = -1 }));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => WalkAsync(Root(pushed), RegistrySource(pushed), new GraphWalkOptions { MaxConcurrency = 0 }));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => WalkAsync(Root(pushed), RegistrySource(pushed), new GraphWalkOptions { AllPlatforms = true, Platforms = [Host] }));
        Assert.Empty(Proxy.Requests);
    }

    private static GraphWalkOptions Options(Selection selection) => selection switch
    {
        Selection.ArmV7 => new GraphWalkOptions { Platforms = [Platforms.Parse("linux/arm/v7")] },
        Selection.Arm64AndAmd64 => new GraphWalkOptions { Platforms = [Platforms.Parse("linux/arm64"), Platforms.Parse("linux/amd64")] },
        Selection.All => new GraphWalkOptions { AllPlatforms = true },
        _ => new GraphWalkOptions(),
    };

    /// <summary>Pulls the pushed image through the proxy into <see cref="Store"/> with the walk's platform selection.</summary>
    private Task PullAsync(PushedLayout pushed, GraphWalkOptions options) => ImagePull.PullAsync(new PullRequest
    {
        Reference = ImageReference.Parse($"{Proxy.Host}/{pushed.Repository}:{PushedLayouts.Tag}"),
        Store = Store,
        Client = Client.Client,
        Platforms = options.Platforms,
        AllPlatforms = options.AllPlatforms,
    });

    private static Descriptor Root(PushedLayout pushed) => TestRegistryClient.DescriptorOf(pushed.Layout.Top);

    private RegistryManifestSource RegistrySource(PushedLayout pushed) =>
        new(Client.Client, ImageReference.Parse($"{Proxy.Host}/{pushed.Repository}"));

    private static async Task<List<WalkedNode>> WalkAsync(Descriptor root, IManifestSource source, GraphWalkOptions options)
    {
        var walked = new List<WalkedNode>();
        await foreach (var node in ImageGraph.WalkAsync(root, source, options))
        {
            walked.Add(node);
        }

        return walked;
    }

    // A node's identity in a walk: where it is (depth, parent, position) and what it is.
    private static string Describe(ImageNode node) =>
        $"{node.Depth} {node.Parent?.Descriptor.Digest} {node.Position} {node.Descriptor.MediaType} {node.Descriptor.Digest}";

    private List<string> ManifestReads() => Proxy.Requests
        .Where(r => r.Method == "GET" && r.Target.Contains("/manifests/", StringComparison.Ordinal))
        .Select(r => r.Target[(r.Target.LastIndexOf('/') + 1)..])
        .ToList();

    private async Task<SortedSet<string>> StoredAsync()
    {
        var stored = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var info in Store.WalkAsync())
        {
            stored.Add(info.Digest.ToString());
        }

        return stored;
    }
}
