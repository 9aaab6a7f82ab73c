using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;

namespace ContentPS.Engine.Tests.Content.Labels;

public sealed class FileLabelStoreConcurrencyTests : IDisposable
{
    private static readonly Digest Blob = Digest.FromBytes("shared"u8);
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task UpdatesOfDifferentKeysFromManyTasksAllLand()
    {
        const int tasks = 48;
        var start = new TaskCompletionSource();
        var updates = Enumerable.Range(0, tasks).Select(i => Task.Run(async () =>
        {
            await start.Task;
            // A store per task: nothing is shared in memory.
            var store = new FileLabelStore(_root.Path);
            await store.UpdateAsync(Blob, new Dictionary<string, string> { [$"k{i}"] = $"v{i}" }, [$"labels.k{i}"]);
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(updates).WaitAsync(TimeSpan.FromSeconds(60));

        var labels = (await new FileLabelStore(_root.Path).GetAsync(Blob)).Labels;
        Assert.Equal(tasks, labels.Count);
        for (var i = 0; i < tasks; i++) Assert.Equal($"v{i}", labels[$"k{i}"]);
    }

    [Fact]
    public async Task UpdatesFromThreeProcessesAndThisOneAllLandAndReadersNeverSeeATornFile()
    {
        const int perWriter = 25;
        var go = Path.Combine(_root.Path, "go");
        var children = new[] { "p", "q", "r" }
            .Select(prefix => FixtureProcess.Start(
                "labels-set", "--store", _root.Path, "--digest", Blob.ToString(), "--key", prefix, "--value", prefix + "-value",
                "--count", perWriter.ToString(), "--go-file", go))
            .ToArray();
        try
        {
            // Give the children time to start, then release them all at once and write from here too.
            await Task.Delay(1500);
            await File.WriteAllTextAsync(go, "");
            var store = new FileLabelStore(_root.Path);
            var reads = 0;
            var writer = Task.Run(async () =>
            {
                for (var i = 0; i < perWriter; i++)
                {
                    await store.UpdateAsync(Blob, new Dictionary<string, string> { [$"t{i}"] = "t-value" }, [$"labels.t{i}"]);
                }
            });
            var reader = Task.Run(async () =>
            {
                while (!children.All(c => c.HasExited) || !writer.IsCompleted)
                {
                    // Throws DataLoss if it ever reads a torn file.
                    await store.GetAsync(Blob);
                    reads++;
                }
            });
            foreach (var child in children) await FixtureProcess.WaitSuccessAsync(child, TimeSpan.FromSeconds(120));
            await writer.WaitAsync(TimeSpan.FromSeconds(60));
            await reader.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(reads > 0);

            var labels = (await store.GetAsync(Blob)).Labels;
            Assert.Equal(4 * perWriter, labels.Count);
            foreach (var prefix in new[] { "p", "q", "r" })
            {
                for (var i = 0; i < perWriter; i++) Assert.Equal(prefix + "-value", labels[prefix + i]);
            }
            for (var i = 0; i < perWriter; i++) Assert.Equal("t-value", labels["t" + i]);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(store.PathOf(Blob))!, "*.tmp"));
        }
        finally
        {
            foreach (var child in children)
            {
                if (!child.HasExited) child.Kill(entireProcessTree: true);
                child.Dispose();
            }
        }
    }
}
