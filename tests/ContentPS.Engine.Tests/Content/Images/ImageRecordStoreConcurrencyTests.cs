using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;

namespace ContentPS.Engine.Tests.Content.Images;

public sealed class ImageRecordStoreConcurrencyTests : IDisposable
{
    private static readonly Descriptor Target = Descriptor.FromContent(MediaTypes.OciManifest, "shared manifest"u8);
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task CreatesFromManyTasksAllLand()
    {
        const int tasks = 40;
        var start = new TaskCompletionSource();
        var creates = Enumerable.Range(0, tasks).Select(i => Task.Run(async () =>
        {
            await start.Task;
            await new ImageRecordStore(_root.Path).CreateAsync($"app:{i}", Target);
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(creates).WaitAsync(TimeSpan.FromSeconds(60));

        var names = (await new ImageRecordStore(_root.Path).ListAsync()).Select(r => r.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(0, tasks).Select(i => $"app:{i}").Order(StringComparer.Ordinal).ToArray(), names);
    }

    [Fact]
    public async Task ChangesFromThreeProcessesAndThisOneAllLandAndReadersNeverSeeATornIndex()
    {
        const int perWriter = 15;
        var go = Path.Combine(_root.Path, "go");
        var children = new[] { "p", "q", "r" }
            .Select(prefix => FixtureProcess.Start(
                "image-set", "--store", _root.Path, "--name", prefix + "-", "--digest", Target.Digest.ToString(),
                "--size", Target.Size.ToString(), "--count", perWriter.ToString(), "--go-file", go))
            .ToArray();
        try
        {
            await Task.Delay(1500);
            await File.WriteAllTextAsync(go, "");
            var store = new ImageRecordStore(_root.Path);
            var reads = 0;
            var writer = Task.Run(async () =>
            {
                for (var i = 0; i < perWriter; i++) await store.SetAsync($"t-{i}", Target);
            });
            var reader = Task.Run(async () =>
            {
                while (!children.All(c => c.HasExited) || !writer.IsCompleted)
                {
                    // Throws DataLoss if it ever reads a torn index.
                    await store.ListAsync();
                    reads++;
                }
            });
            foreach (var child in children) await FixtureProcess.WaitSuccessAsync(child, TimeSpan.FromSeconds(120));
            await writer.WaitAsync(TimeSpan.FromSeconds(60));
            await reader.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(reads > 0);

            var names = (await store.ListAsync()).Select(r => r.Name).ToHashSet();
            Assert.Equal(4 * perWriter, names.Count);
            foreach (var prefix in new[] { "p-", "q-", "r-", "t-" })
            {
                for (var i = 0; i < perWriter; i++) Assert.Contains(prefix + i, names);
            }
            Assert.Empty(Directory.GetFiles(_root.Path, "*.tmp"));
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
