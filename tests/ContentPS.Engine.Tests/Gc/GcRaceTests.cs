using System.Text.Json;
using ContentPS.Engine.Gc;
using ContentPS.Engine.Images.Check;
using ContentPS.Engine.Oci;
using Xunit.Abstractions;

namespace ContentPS.Engine.Tests.Gc;

/// <summary>Two real processes on one store: a writer pulling under leases, and this one collecting in a loop.</summary>
public sealed class GcRaceTests(ITestOutputHelper output) : IDisposable
{
    private readonly LayoutStore _store = new();

    [Fact]
    public async Task ACollectorLoopingHereNeverRemovesWhatAWriterInAnotherProcessNeeds()
    {
        const int iterations = 150;
        using var child = _store.StartLeaseWriter("--iterations", iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "3");
        var summaryLine = child.StandardOutput.ReadLineAsync();
        var stderr = child.StandardError.ReadToEndAsync();

        int runs = 0, removed = 0;
        var pauses = new Random(17);
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (!summaryLine.IsCompleted)
        {
            var result = await GarbageCollector.CollectAsync(_store.Store, new GcOptions(), hangGuard.Token);
            runs++;
            removed += result.RemovedContent.Count;
            // Pauses of varying length: the writer gets the shared lock in between, and some garbage survives
            // long enough to be found present and reused (the dangerous case) while other garbage is collected.
            await Task.Delay(pauses.Next(1, 40), hangGuard.Token);
        }
        var line = await summaryLine;
        await child.WaitForExitAsync(hangGuard.Token);
        Assert.True(child.ExitCode == 0 && line is not null, $"writer exited {child.ExitCode}: {await stderr}");

        using var summary = JsonDocument.Parse(line!);
        var lost = summary.RootElement.GetProperty("lost").GetInt32();
        var details = string.Join("; ", summary.RootElement.GetProperty("lostDetails").EnumerateArray().Select(e => e.GetString()));
        var written = summary.RootElement.GetProperty("written").GetInt64();
        var reused = summary.RootElement.GetProperty("reused").GetInt64();
        var reusedGarbage = summary.RootElement.GetProperty("reusedGarbage").GetInt64();
        output.WriteLine($"collections {runs}, blobs removed {removed}, writer wrote {written}, reused {reused} (garbage {reusedGarbage})");

        Assert.True(lost == 0, $"the writer lost content: {details}");
        Assert.Equal(iterations, summary.RootElement.GetProperty("iterations").GetInt32());
        Assert.Equal(iterations * 4, written + reused);
        Assert.True(runs > 1, "the collector ran once only: no overlap");
        Assert.True(removed > 0, "the collector removed nothing: the writer's garbage was never collected during the run");
        Assert.True(reusedGarbage > 0, "the writer never found garbage present to reuse: the dangerous case was not exercised");

        // What is left: the last image, complete, and nothing else once collected.
        var record = Assert.Single(await _store.Records.ListAsync());
        Assert.Equal($"lease-writer/image:{iterations - 1}", record.Name);
        await GarbageCollector.CollectAsync(_store.Store);
        var check = await ImageCheck.CheckAsync(_store.Store, record, Platforms.Only(Platforms.Parse("linux/amd64")), verify: true);
        Assert.True(check.Complete);
        Assert.Equal(4, _store.BlobDigests().Count);
        Assert.Empty(await ContentPS.Engine.Content.Leases.LeaseManager.Open(_store.Store).ListAsync());
    }

    public void Dispose() => _store.Dispose();
}
