using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Client;
using ContentPS.Engine.Transfer;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer;

/// <summary>
/// Registry faults (through the fault proxy) during a whole pull of the multi-platform image: a transient fault
/// is retried or resumed and the pull succeeds with every blob intact; a lasting one fails with its class, commits
/// no bad blob, writes no record, and the next pull without the fault finishes the image.
/// (Fetch-level faults, one blob at a time: FetchHandlerTests and Remotes/Client/FaultTests.)
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class PullFaultTests(SharedRegistry shared) : ProxiedStoreTests(shared)
{
    public enum Target
    {
        Layer,
        PlatformManifest,
    }

    public static TheoryData<string, Target> TransientFaults() => new()
    {
        { "drop mid-body once", Target.Layer },
        { "drops of 300 bytes, every time", Target.Layer },
        { "reset once", Target.Layer },
        { "429 once with Retry-After", Target.Layer },
        { "503 twice", Target.Layer },
        { "502 once", Target.PlatformManifest },
        { "drop mid-body once", Target.PlatformManifest },
    };

    public static TheoryData<string, Target, ErrorClass> LastingFaults() => new()
    {
        { "429 always", Target.Layer, ErrorClass.ResourceExhausted },
        { "503 always", Target.Layer, ErrorClass.Unavailable },
        { "500 always", Target.Layer, ErrorClass.Internal },
        { "404", Target.Layer, ErrorClass.NotFound },
        { "403", Target.Layer, ErrorClass.PermissionDenied },
        { "corrupt always", Target.Layer, ErrorClass.FailedPrecondition },
        { "corrupt once", Target.Layer, ErrorClass.FailedPrecondition },
        { "corrupt always", Target.PlatformManifest, ErrorClass.FailedPrecondition },
        { "503 always", Target.PlatformManifest, ErrorClass.Unavailable },
        { "drops of 300 bytes, every time", Target.PlatformManifest, ErrorClass.Unavailable },
    };

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task ATransientFaultIsOvercomeAndThePullLeavesEveryBlobIntact(string fault, Target target)
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        var path = PathOf(pushed, target);
        var rule = Proxy.AddRule(Rule(fault, path));
        using var host = Platforms.OverrideDefault(Platforms.Parse("linux/amd64"));

        var result = await ImagePull.PullAsync(Request(pushed));

        Assert.True(Proxy.Hits(rule) > 0, $"the fault {fault} never applied");
        Assert.Equal(pushed.Layout.Digest, (await new ImageRecordStore(Store.Root).GetAsync(result.Name)).Target.Digest.ToString());
        await AssertStoreHoldsOnlyIntactBlobsAsync(ExpectedBlobs.For(pushed.Layout, ["linux/amd64"], attestations: false));
        Assert.Empty(await Store.ListStatusesAsync());
    }

    [Theory]
    [MemberData(nameof(LastingFaults))]
    public async Task ALastingFaultFailsWithItsClassCommitsNothingBadAndWritesNoRecord(string fault, Target target, ErrorClass expected)
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        var path = PathOf(pushed, target);
        var faulted = path[(path.LastIndexOf('/') + 1)..];
        var rule = Proxy.AddRule(Rule(fault, path));
        using var host = Platforms.OverrideDefault(Platforms.Parse("linux/amd64"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ImagePull.PullAsync(Request(pushed)));

        Assert.True(Proxy.Hits(rule) > 0, $"the fault {fault} never applied");
        Assert.Equal(expected, Errors.Resolve(error));
        Assert.Contains(faulted, error.Message);
        Assert.Empty(await new ImageRecordStore(Store.Root).ListAsync());
        var stored = await AssertStoreHoldsOnlyIntactBlobsAsync(ExpectedBlobs.For(pushed.Layout, ["linux/amd64"], attestations: false));
        Assert.DoesNotContain(faulted, stored);
        // A partial ingest may stay for the next pull to resume, but none is held locked.
        Assert.All(await Store.ListStatusesAsync(), status => Assert.False(status.Locked, status.Ref));

        Proxy.ClearRules();
        var result = await ImagePull.PullAsync(Request(pushed));

        Assert.Equal(pushed.Layout.Digest, (await new ImageRecordStore(Store.Root).GetAsync(result.Name)).Target.Digest.ToString());
        Assert.Equal(ExpectedBlobs.For(pushed.Layout, ["linux/amd64"], attestations: false), await AssertStoreHoldsOnlyIntactBlobsAsync(null));
        Assert.Empty(await Store.ListStatusesAsync());
    }

    private static FaultRule Rule(string fault, string path)
    {
        var retryNow = new Dictionary<string, string> { ["Retry-After"] = "1" };
        return fault switch
        {
            "drop mid-body once" => FaultRule.DropAfterBytes(200, path, "GET", times: 1),
            "drops of 300 bytes, every time" => FaultRule.DropAfterBytes(300, path, "GET"),
            "reset once" => FaultRule.Disconnect(path, "GET", times: 1),
            "429 once with Retry-After" => FaultRule.Status(429, path, "GET", times: 1, headers: retryNow),
            "503 twice" => FaultRule.Status(503, path, "GET", times: 2),
            "502 once" => FaultRule.Status(502, path, "GET", times: 1),
            "429 always" => FaultRule.Status(429, path, "GET"),
            "503 always" => FaultRule.Status(503, path, "GET"),
            "500 always" => FaultRule.Status(500, path, "GET"),
            "404" => FaultRule.Status(404, path, "GET", contentType: "application/json",
                body: "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}"),
            "403" => FaultRule.Status(403, path, "GET"),
            "corrupt always" => FaultRule.CorruptBody(path, "GET"),
            "corrupt once" => FaultRule.CorruptBody(path, "GET", times: 1),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "no such fault"),
        };
    }

    // The amd64 image's second layer, or the amd64 manifest (fetched by digest after the index).
    private static string PathOf(PushedLayout pushed, Target target)
    {
        var manifest = pushed.Layout.ManifestFor("linux/amd64");
        return target == Target.Layer
            ? "/blobs/" + ExpectedBlobs.LayersOf(pushed.Layout, manifest)[1]
            : "/manifests/" + manifest.Digest;
    }

    private PullRequest Request(PushedLayout pushed) => new()
    {
        Reference = ImageReference.Parse($"{Proxy.Host}/{pushed.Repository}:{PushedLayouts.Tag}"),
        Store = Store,
        Client = Client.Client,
    };

    // Every committed blob hashes to its name and is one the image selects; returns their digests.
    private async Task<SortedSet<string>> AssertStoreHoldsOnlyIntactBlobsAsync(IReadOnlySet<string>? allowed)
    {
        var stored = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(Store.Root, "blobs", "sha256")))
        {
            var digest = "sha256:" + Path.GetFileName(file);
            Assert.Equal(digest, FixtureTools.Sha256Of(file));
            Assert.True(allowed is null || allowed.Contains(digest), $"{digest} is not part of the pulled image");
            stored.Add(digest);
        }

        await foreach (var info in Store.WalkAsync())
        {
            Assert.Contains(info.Digest.ToString(), stored);
        }

        return stored;
    }
}
