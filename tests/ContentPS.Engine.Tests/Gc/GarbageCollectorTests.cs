using System.Text;
using ContentPS.Engine.Content;
using ContentPS.Engine.Content.Leases;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Gc;
using ContentPS.Engine.Oci;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Gc;

public sealed class GarbageCollectorTests : IDisposable
{
    private readonly LayoutStore _store = new();

    private static readonly GcOptions Collect = new();

    [Theory]
    [InlineData(LayoutScenario.SinglePlatform)]
    [InlineData(LayoutScenario.MultiPlatform)]
    [InlineData(LayoutScenario.DockerMultiPlatform)]
    [InlineData(LayoutScenario.NestedIndex)]
    [InlineData(LayoutScenario.Artifact)]
    public async Task ContentReachableFromRecordsIsKeptWithoutLabelsAndTheRestIsRemoved(LayoutScenario scenario)
    {
        var kept = await _store.ImportAsync(scenario, seed: 1, record: true);
        var garbage = await _store.ImportAsync(LayoutScenario.MultiPlatform, seed: 2, record: false);
        var stray = await _store.WriteAsync(LayoutStore.RandomBytes(300, 5));

        var result = await GarbageCollector.CollectAsync(_store.Store, Collect);

        var expectedGone = garbage.Blobs.Select(b => b.Digest).Append(stray.Digest.ToString()).ToHashSet();
        Assert.Equal(expectedGone, result.RemovedContent.Select(c => c.Digest.ToString()).ToHashSet());
        Assert.Equal(kept.Blobs.Select(b => b.Digest).ToHashSet(), _store.BlobDigests());
        Assert.Equal(garbage.Blobs.DistinctBy(b => b.Digest).Sum(b => b.Size) + stray.Size, result.BytesFreed);
        Assert.Equal(kept.Blobs.DistinctBy(b => b.Digest).Count(), result.KeptContent);
        Assert.False(result.DryRun);
        Assert.Empty(result.Warnings);

        // A second run finds nothing more.
        var again = await GarbageCollector.CollectAsync(_store.Store, Collect);
        Assert.Empty(again.RemovedContent);
    }

    [Fact]
    public async Task RemovingTheRecordMakesTheImageGarbageAndItsLabelFilesGoWithIt()
    {
        var layout = await _store.ImportAsync(LayoutScenario.SinglePlatform, seed: 3, record: true);
        var layer = Digest.Parse(layout.OfKind(BlobKind.Layer).First().Digest);
        await _store.Store.UpdateAsync(new ContentInfo { Digest = layer, Size = 0, CreatedAt = default, UpdatedAt = default, Labels = new Dictionary<string, string> { ["note"] = "x" } });
        var labelFile = new FileLabelStore(_store.Root).PathOf(layer);
        Assert.True(File.Exists(labelFile));

        foreach (var record in await _store.Records.ListAsync()) await _store.Records.DeleteAsync(record.Name);
        var result = await GarbageCollector.CollectAsync(_store.Store, Collect);

        Assert.Equal(layout.Blobs.Count, result.RemovedContent.Count);
        Assert.Empty(_store.BlobDigests());
        Assert.False(File.Exists(labelFile));
    }

    [Fact]
    public async Task GcRootAndGcRefLabelsKeepContentTransitively()
    {
        var layout = await _store.ImportAsync(LayoutScenario.SinglePlatform, seed: 4, record: false);
        var leaf = await _store.WriteAsync(LayoutStore.RandomBytes(100, 41));
        // middle refers by label to the leaf and to the image's manifest, whose body leads to config and layers.
        var middle = await _store.WriteAsync(LayoutStore.RandomBytes(100, 42), labels: new Dictionary<string, string>
        {
            [GcLabels.ContentReferencePrefix + ".l.0"] = leaf.Digest.ToString(),
            [GcLabels.ContentReferencePrefix + ".m.0"] = layout.Digest,
            [GcLabels.ContentReferencePrefix + ".bad"] = "not-a-digest",
        });
        var root = await _store.WriteAsync(LayoutStore.RandomBytes(100, 43), labels: new Dictionary<string, string>
        {
            [GcLabels.Root] = "2026-01-01T00:00:00Z",
            [GcLabels.ContentReferencePrefix + ".config"] = middle.Digest.ToString(),
        });
        var unrooted = await _store.WriteAsync(LayoutStore.RandomBytes(100, 44), labels: new Dictionary<string, string>
        {
            [GcLabels.ContentReferencePrefix + ".l.0"] = root.Digest.ToString(),
        });

        var result = await GarbageCollector.CollectAsync(_store.Store, Collect);

        Assert.Equal([unrooted.Digest], result.RemovedContent.Select(c => c.Digest));
        var expected = layout.Blobs.Select(b => b.Digest).Concat([leaf.Digest.ToString(), middle.Digest.ToString(), root.Digest.ToString()]).ToHashSet();
        Assert.Equal(expected, _store.BlobDigests());
    }

    [Fact]
    public async Task ALiveLeaseKeepsItsContentAndWhatItsManifestsNameUntilItIsDeleted()
    {
        var image = await _store.ImportAsync(LayoutScenario.SinglePlatform, seed: 5, record: false);
        var other = await _store.ImportAsync(LayoutScenario.SinglePlatform, seed: 6, record: false);
        var otherLayer = Digest.Parse(other.OfKind(BlobKind.Layer).First().Digest);
        var notYetWritten = Digest.FromBytes(LayoutStore.RandomBytes(10, 99));

        var lease = await LeaseManager.Open(_store.Store).CreateAsync();
        await lease.AddAsync([Digest.Parse(image.Digest), otherLayer, notYetWritten]);

        var result = await GarbageCollector.CollectAsync(_store.Store, Collect);
        var expectedKept = image.Blobs.Select(b => b.Digest).Append(otherLayer.ToString()).ToHashSet();
        Assert.Equal(expectedKept, _store.BlobDigests());
        Assert.Equal(other.Blobs.Select(b => b.Digest).Where(d => d != otherLayer.ToString()).ToHashSet(), result.RemovedContent.Select(c => c.Digest.ToString()).ToHashSet());

        await lease.DisposeAsync();
        var after = await GarbageCollector.CollectAsync(_store.Store, Collect);
        Assert.Equal(expectedKept, after.RemovedContent.Select(c => c.Digest.ToString()).ToHashSet());
        Assert.Empty(_store.BlobDigests());
    }

    [Fact]
    public async Task TheLeaseOfAKilledProcessStopsProtectingAndIsRemoved()
    {
        var blob = await _store.WriteAsync(LayoutStore.RandomBytes(500, 51));
        using var child = _store.StartLeaseWriter("--id", "child-lease", "--digests", blob.Digest.ToString());
        try
        {
            Assert.Equal("ready child-lease", await LayoutStore.ReadLineAsync(child));
            var whileAlive = await GarbageCollector.CollectAsync(_store.Store, Collect);
            Assert.Empty(whileAlive.RemovedContent);
            Assert.Empty(whileAlive.RemovedLeases);
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
        }

        var dry = await GarbageCollector.CollectAsync(_store.Store, Collect with { DryRun = true });
        Assert.Equal(["child-lease"], dry.RemovedLeases);
        Assert.Single(await LeaseManager.Open(_store.Store).ListAsync());

        var result = await GarbageCollector.CollectAsync(_store.Store, Collect);
        Assert.Equal([blob.Digest], result.RemovedContent.Select(c => c.Digest));
        Assert.Equal(["child-lease"], result.RemovedLeases);
        Assert.Empty(await LeaseManager.Open(_store.Store).ListAsync());
    }

    [Fact]
    public async Task AnExpiredLeaseProtectsNothingIsRemovedAndItsOwnerLearnsOnTheNextAdd()
    {
        var blob = await _store.WriteAsync(LayoutStore.RandomBytes(500, 52));
        await using var lease = await LeaseManager.Open(_store.Store).CreateAsync(new LeaseOptions { Id = "short", Expiration = TimeSpan.FromMilliseconds(1) });
        await lease.AddAsync(blob.Digest);
        while (DateTimeOffset.UtcNow <= lease.ExpiresAt) await Task.Delay(5);

        var result = await GarbageCollector.CollectAsync(_store.Store, Collect);

        Assert.Equal([blob.Digest], result.RemovedContent.Select(c => c.Digest));
        Assert.Equal(["short"], result.RemovedLeases);
        var gone = await Assert.ThrowsAsync<NotFoundException>(() => lease.AddAsync(Digest.FromBytes([1])));
        Assert.Equal(ErrorIds.LeaseNotFound, gone.ErrorId);
    }

    [Fact]
    public async Task ALockedIngestKeepsTheContentItExpects()
    {
        var content = LayoutStore.RandomBytes(800, 61);
        var digest = Digest.FromBytes(content);
        var writer = await _store.Store.OpenWriterAsync("slow-download", content.Length, digest);
        await writer.WriteAsync(content.AsMemory(0, 100));
        // Meanwhile another writer commits the same content.
        await _store.WriteAsync(content);

        var whileLocked = await GarbageCollector.CollectAsync(_store.Store, Collect with { IngestMaxAge = TimeSpan.Zero });
        Assert.Empty(whileLocked.RemovedContent);
        Assert.Empty(whileLocked.RemovedIngests);

        await writer.DisposeAsync();
        var after = await GarbageCollector.CollectAsync(_store.Store, Collect);
        Assert.Equal([digest], after.RemovedContent.Select(c => c.Digest));
        Assert.Empty(after.RemovedIngests); // a day has not passed
        Assert.Single(await _store.Store.ListStatusesAsync());
    }

    [Fact]
    public async Task StaleUnlockedIngestsGoUnlessALiveLeaseNamesThem()
    {
        foreach (var name in new[] { "stale", "leased" })
        {
            await using var writer = await _store.Store.OpenWriterAsync(name, 1000);
            await writer.WriteAsync(new byte[300]);
        }
        await using var open = await _store.Store.OpenWriterAsync("open", 1000);
        await open.WriteAsync(new byte[10]);
        await using var lease = await LeaseManager.Open(_store.Store).CreateAsync();
        await lease.AddIngestAsync("leased");

        var dry = await GarbageCollector.CollectAsync(_store.Store, new GcOptions { DryRun = true, IngestMaxAge = TimeSpan.Zero });
        Assert.Equal(["stale"], dry.RemovedIngests.Select(i => i.Ref));
        Assert.Equal(3, (await _store.Store.ListStatusesAsync()).Count);

        var result = await GarbageCollector.CollectAsync(_store.Store, new GcOptions { IngestMaxAge = TimeSpan.Zero });
        Assert.Equal(["stale"], result.RemovedIngests.Select(i => i.Ref));
        Assert.Equal(300, result.BytesFreed);
        Assert.Equal(["leased", "open"], (await _store.Store.ListStatusesAsync()).Select(s => s.Ref));

        var keepAll = await GarbageCollector.CollectAsync(_store.Store, new GcOptions { IngestMaxAge = null });
        Assert.Empty(keepAll.RemovedIngests);
    }

    [Fact]
    public async Task DryRunListsWhatWouldGoAndDeletesNothing()
    {
        await _store.ImportAsync(LayoutScenario.MultiPlatform, seed: 7, record: true);
        await _store.ImportAsync(LayoutScenario.NestedIndex, seed: 8, record: false);
        var before = _store.BlobDigests();

        var dry = await GarbageCollector.CollectAsync(_store.Store, new GcOptions { DryRun = true });

        Assert.True(dry.DryRun);
        Assert.NotEmpty(dry.RemovedContent);
        Assert.Equal(before, _store.BlobDigests());
        var real = await GarbageCollector.CollectAsync(_store.Store, Collect);
        Assert.Equal(dry.RemovedContent, real.RemovedContent);
        Assert.Equal(dry.BytesFreed, real.BytesFreed);
        Assert.Equal(before.Except(dry.RemovedContent.Select(c => c.Digest.ToString())).ToHashSet(), _store.BlobDigests());
    }

    [Fact]
    public async Task ACorruptIndexJsonStopsTheCollectionBeforeAnythingIsDeleted()
    {
        await _store.ImportAsync(LayoutScenario.SinglePlatform, seed: 9, record: true);
        var before = _store.BlobDigests();
        await File.WriteAllTextAsync(Path.Combine(_store.Root, "index.json"), "{\"manifests\":");

        var ex = await Assert.ThrowsAsync<DataLossException>(() => GarbageCollector.CollectAsync(_store.Store, Collect));
        Assert.Equal(ErrorIds.CorruptMetadata, ex.ErrorId);
        Assert.Equal(before, _store.BlobDigests());
    }

    [Fact]
    public async Task AManifestThatDoesNotParseIsAWarningAndDoesNotStopTheCollection()
    {
        var body = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"config\":42}");
        var bad = await _store.WriteAsync(body, MediaTypes.OciManifest);
        await _store.Records.SetAsync("broken/image:1", bad);
        var stray = await _store.WriteAsync(LayoutStore.RandomBytes(50, 91));

        var result = await GarbageCollector.CollectAsync(_store.Store, Collect);

        Assert.Equal([stray.Digest], result.RemovedContent.Select(c => c.Digest));
        Assert.Contains(result.Warnings, w => w.StartsWith(bad.Digest.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABlobCommittedAfterTheListingIsNotASweepCandidate()
    {
        Descriptor? late = null;
        var options = new GcOptions
        {
            PhaseHook = async (phase, _) =>
            {
                if (phase == GcPhase.Listed) late = await _store.WriteAsync(LayoutStore.RandomBytes(70, 71));
            },
        };
        var result = await GarbageCollector.CollectAsync(_store.Store, options);
        Assert.Empty(result.RemovedContent);
        Assert.Contains(late!.Digest.ToString(), _store.BlobDigests());
        // Unreferenced, it goes at the next collection.
        Assert.Equal([late.Digest], (await GarbageCollector.CollectAsync(_store.Store, Collect)).RemovedContent.Select(c => c.Digest));
    }

    [Fact]
    public async Task ALeaseAddWaitsForARunningCollectionSoItsPresenceCheckComesAfterTheSweep()
    {
        var blob = await _store.WriteAsync(LayoutStore.RandomBytes(90, 81));
        await using var lease = await LeaseManager.Open(_store.Store).CreateAsync();
        Task? add = null;
        var options = new GcOptions
        {
            PhaseHook = async (phase, _) =>
            {
                if (phase != GcPhase.Marked) return;
                add = Task.Run(() => lease.AddAsync(blob.Digest));
                await Task.Delay(300);
                Assert.False(add.IsCompleted); // blocked on the collection lock
            },
        };

        var result = await GarbageCollector.CollectAsync(_store.Store, options);
        await add!.WaitAsync(TimeSpan.FromSeconds(30));

        // The collection swept the blob; the writer, checking only now, sees it absent and writes it again.
        Assert.Equal([blob.Digest], result.RemovedContent.Select(c => c.Digest));
        Assert.DoesNotContain(blob.Digest.ToString(), _store.BlobDigests());
        Assert.Equal([blob.Digest], Assert.Single(await LeaseManager.Open(_store.Store).ListAsync()).Content);
        Assert.Empty((await GarbageCollector.CollectAsync(_store.Store, Collect)).RemovedLeases);
    }

    [Fact]
    public async Task ALeaseCreatedDuringACollectionWaitsForIt()
    {
        Task<Lease>? create = null;
        var options = new GcOptions
        {
            PhaseHook = async (phase, _) =>
            {
                if (phase != GcPhase.Locked) return;
                create = Task.Run(() => LeaseManager.Open(_store.Store).CreateAsync());
                await Task.Delay(300);
                Assert.False(create.IsCompleted);
            },
        };
        await GarbageCollector.CollectAsync(_store.Store, options);
        await using var lease = await create!.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(Assert.Single(await LeaseManager.Open(_store.Store).ListAsync()).Alive);
    }

    [Fact]
    public async Task CancellationStopsTheCollection()
    {
        await _store.WriteAsync(LayoutStore.RandomBytes(90, 82));
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => GarbageCollector.CollectAsync(_store.Store, Collect, canceled.Token));
        Assert.Equal(ErrorClass.Canceled, Errors.Classify(ex).Class);
        Assert.Single(_store.BlobDigests());
    }

    public void Dispose() => _store.Dispose();
}
