using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Transfer.Copy;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer.Copy;

/// <summary>Whole-graph copies between repositories of one registry and between two registries.</summary>
[Collection(RegistryCollection.Name)]
public sealed class RegistryCopyTests(SharedRegistry shared) : CopyTestBase(shared)
{
    [Fact]
    public async Task OnTheSameRegistryEveryBlobIsMountedAndNoUploadReachesIt()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.MultiPlatform, "copy-mount-src");
        var destination = NewRepository(Proxy.Host, "copy-mount-dst").WithTag("mirror");
        Proxy.ClearRequests();

        var result = await CopyAsync(source, destination);

        var blobs = BlobsOf(layout);
        Assert.Equal(layout.Digest, result.Root.Digest.ToString());
        Assert.Equal(blobs.Select(b => b.Digest).Order(), result.Blobs.Select(b => b.Descriptor.Digest.ToString()).Order());
        Assert.All(result.Blobs, b => Assert.Equal(BlobPushOutcome.Mounted, b.Outcome));
        Assert.All(result.Blobs, b => Assert.Equal(source.Path, b.MountedFrom));
        var uploads = UploadRequests(Proxy, destination);
        Assert.Equal(blobs.Count, uploads.Count);
        Assert.All(uploads, r => Assert.True(r.Method == "POST" && r.Target.Contains("mount=", StringComparison.Ordinal) && r.Status == 201, $"{r.Method} {r.Target} {r.Status}"));
        Assert.Equal(ManifestsOf(layout).Count, result.ManifestsPushed);
        Assert.Equal(0, result.BytesUploaded - ManifestsOf(layout).Sum(m => m.Size));
        Assert.Empty(await MissingAsync(destination, layout.Blobs));
        Assert.Equal(layout.Digest, (await TagAsync(destination, "mirror"))!.Digest.ToString());
        Assert.False(result.IndexRewritten);
    }

    [Fact]
    public async Task BetweenRegistriesEveryBlobIsUploadedThenASecondCopyFindsEverything()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.MultiPlatform, "copy-two-src");
        var destination = NewRepository(OtherProxy.Host, "copy-two-dst");
        var tracker = new RecordingTracker();

        var first = await CopyAsync(source, destination, r => r with { Tracker = tracker });

        var blobs = BlobsOf(layout);
        Assert.All(first.Blobs, b => Assert.Equal(BlobPushOutcome.Uploaded, b.Outcome));
        Assert.Equal(blobs.Count, first.BlobsUploaded);
        Assert.Equal(blobs.Sum(b => b.Size) + ManifestsOf(layout).Sum(m => m.Size), first.BytesUploaded);
        Assert.Equal(layout.Blobs.DistinctBy(b => b.Digest).Sum(b => b.Size), first.TotalBytes);
        Assert.Equal(["v1"], first.Tags);
        Assert.Equal(layout.Digest, (await TagAsync(destination, "v1"))!.Digest.ToString());
        Assert.Empty(await MissingAsync(destination, layout.Blobs));
        Assert.All(blobs, b => Assert.Equal("Done", tracker.CallsFor(Digest.Parse(b.Digest)).Last()));
        Assert.DoesNotContain(OtherProxy.Requests, r => r.Target.Contains("mount=", StringComparison.Ordinal));

        OtherProxy.ClearRequests();
        var second = await CopyAsync(source, destination);

        Assert.Equal(blobs.Count, second.BlobsExisted);
        Assert.Equal(0, second.ManifestsPushed);
        Assert.Equal(0, second.BytesUploaded);
        // The tag and the root, nothing else: a graph the destination has is not walked blob by blob.
        Assert.Equal(new[] { "HEAD /manifests/v1", $"HEAD /manifests/{layout.Digest}" }.Order(),
            OtherProxy.Requests.Select(r => $"{r.Method} {r.Target[r.Target.IndexOf("/manifests/", StringComparison.Ordinal)..]}").Order());
    }

    [Fact]
    public async Task ADestinationWithSomeBlobsGetsOnlyTheOthersAndIsAskedAboutThemAllAtOnce()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.Layers, "copy-some-src", new LayoutOptions { LayerCount = 6, LayerSize = 2048, Seed = 7 });
        var destination = NewRepository(OtherProxy.Host, "copy-some-dst");
        var blobs = BlobsOf(layout);
        var present = blobs.Where((_, i) => i % 2 == 0).ToList();
        foreach (var blob in present)
        {
            await Client.Client.PushBlobAsync(destination, TestDescriptor(blob), _ => Task.FromResult<Stream>(File.OpenRead(FixtureTools.BlobPath(layout, blob))));
        }

        OtherProxy.ClearRequests();
        // Blob HEADs answer late, so checks in flight together are seen together (the delay is not measured).
        OtherProxy.AddRule(FaultRule.Delay(1500, "/blobs/sha256:", "HEAD"));
        var copy = CopyAsync(source, destination);
        var maxOutstanding = await MaxOutstandingHeadsAsync(copy);
        var result = await copy;

        Assert.True(maxOutstanding >= 3, $"at most {maxOutstanding} blob existence checks were outstanding at once");
        Assert.Equal(present.Select(b => b.Digest).Order(), result.Blobs.Where(b => b.Outcome == BlobPushOutcome.Existed).Select(b => b.Descriptor.Digest.ToString()).Order());
        Assert.Equal(blobs.Except(present).Select(b => b.Digest).Order(), result.Blobs.Where(b => b.Outcome == BlobPushOutcome.Uploaded).Select(b => b.Descriptor.Digest.ToString()).Order());
        var completed = UploadRequests(OtherProxy, destination).Where(r => r.Method == "PUT").Select(r => r.Target).ToList();
        Assert.Equal(blobs.Count - present.Count, completed.Count);
        Assert.All(present, b => Assert.DoesNotContain(completed, t => t.Contains(Uri.EscapeDataString(b.Digest), StringComparison.Ordinal) || t.Contains(b.Digest, StringComparison.Ordinal)));
        Assert.Empty(await MissingAsync(destination, layout.Blobs));
    }

    [Fact]
    public async Task ServerErrorsAndDroppedConnectionsOnTheSourceAreRetried()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "copy-faults-src", new LayoutOptions { LayerSize = 256 * 1024, Seed = 3 });
        var destination = NewRepository(OtherProxy.Host, "copy-faults-dst");
        var unavailable = Proxy.AddRule(FaultRule.Status(503, "/blobs/sha256:", "GET", times: 2));
        var dropped = Proxy.AddRule(FaultRule.DropAfterBytes(1000, "/blobs/sha256:", "GET", times: 1));
        var refused = OtherProxy.AddRule(FaultRule.Status(502, "/blobs/uploads/", "POST", times: 1));

        var result = await CopyAsync(source, destination);

        Assert.Equal((2, 1, 1), (Proxy.Hits(unavailable), Proxy.Hits(dropped), OtherProxy.Hits(refused)));
        Assert.Equal(BlobsOf(layout).Count, result.BlobsUploaded);
        Assert.Empty(await MissingAsync(destination, layout.Blobs));
    }

    [Fact]
    public async Task CorruptSourceBytesAreDigestMismatchAndNoManifestIsPushed()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "copy-corrupt-src", new LayoutOptions { Seed = 4 });
        var destination = NewRepository(OtherProxy.Host, "copy-corrupt-dst");
        var layer = layout.OfKind(BlobKind.Layer).First();
        Proxy.AddRule(FaultRule.CorruptBody("/blobs/" + layer.Digest, "GET"));

        var error = await Assert.ThrowsAnyAsync<ClassifiedException>(() => CopyAsync(source, destination));

        Assert.Equal((ErrorClass.FailedPrecondition, ErrorIds.DigestMismatch), (error.Class, error.ErrorId));
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);
        Assert.Empty(ManifestPuts(OtherProxy));
        Assert.Null(await Client.Client.TryGetBlobAsync(destination, Digest.Parse(layer.Digest)));
        Assert.Null(await TagAsync(destination, "v1"));
    }

    // Polls the proxy's log while the copy runs: blob HEADs received and not yet answered.
    private async Task<int> MaxOutstandingHeadsAsync(Task copy)
    {
        var max = 0;
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!copy.IsCompleted && !guard.IsCancellationRequested)
        {
            var outstanding = OtherProxy.Requests.Count(r => r.Method == "HEAD" && r.Target.Contains("/blobs/", StringComparison.Ordinal) && r.Status == 0);
            max = Math.Max(max, outstanding);
            await Task.Delay(20);
        }

        return max;
    }

    private static Descriptor TestDescriptor(LayoutBlob blob) => Remotes.Client.TestRegistryClient.DescriptorOf(blob);
}
