using System.Diagnostics;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Content.Store;

/// <summary>Other processes on the same store: OS locks, and a writer killed mid-write resumed from here.</summary>
public sealed class MultiProcessTests : StoreTestBase
{
    [Fact]
    public async Task ALockFileHeldByAnotherProcessIsIngestLockedUntilThatProcessDies()
    {
        // Where the OS has no byte-range locks: a lock file per ingest (the default is covered by the test below).
        var store = OpenStore(lockFilePerIngest: true);
        var lockPath = IngestFiles.Of(store.Layout, "shared").Lock;
        File.WriteAllText(lockPath, "");
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "-o", lockPath, "sleep", "60"]))!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!FileLock.IsHeld(lockPath) && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.True(FileLock.IsHeld(lockPath));

            var ex = await Assert.ThrowsAsync<UnavailableException>(() => store.OpenWriterAsync("shared"));
            Assert.Equal(ErrorIds.IngestLocked, ex.ErrorId);
            Assert.StartsWith("ref shared locked for ", ex.Message, StringComparison.Ordinal);
            File.WriteAllText(IngestFiles.Of(store.Layout, "shared").Data, "partial");
            await Assert.ThrowsAsync<UnavailableException>(() => store.AbortAsync("shared"));
        }
        finally
        {
            holder.Kill();
            await holder.WaitForExitAsync();
        }
        await using var writer = await store.OpenWriterAsync("shared");
        Assert.Equal(0, writer.Status().Offset);
    }

    [Fact]
    public async Task AWriterProcessKilledMidWriteIsResumedHereWithTheRightDigest()
    {
        const long size = 1_000_000;
        const long written = 300_000;
        const int seed = 77;
        var content = new byte[size];
        new Random(seed).NextBytes(content); // what ingest-hold writes for this seed
        var digest = Digest.FromBytes(content);

        using var child = StartIngestHold("killed", written, size, seed);
        try
        {
            Assert.Equal("ready", await ReadLineAsync(child));

            var locked = await Assert.ThrowsAsync<UnavailableException>(() => Store.OpenWriterAsync("killed", size, digest));
            Assert.Equal(ErrorIds.IngestLocked, locked.ErrorId);
            Assert.Contains($"by process {child.Id})", locked.Message, StringComparison.Ordinal);
            var status = await Store.StatusAsync("killed");
            Assert.True(status.Locked);
            Assert.Equal(written, status.Offset);
            Assert.Equal(size, status.Total);
            Assert.Equal(digest, status.Expected);
        }
        finally
        {
            child.Kill(); // SIGKILL: no dispose, no checkpoint, no unlock but the OS's
            await child.WaitForExitAsync();
        }

        Assert.False((await Store.StatusAsync("killed")).Locked);
        await using var writer = await Store.OpenWriterAsync("killed", size, digest);
        Assert.Equal(written, writer.Status().Offset);
        Assert.Equal(Digest.FromBytes(content.AsSpan(0, (int)written)), writer.Digest);
        Assert.True(await ContentHelpers.CopyAsync(writer, new MemoryStream(content), size, digest));

        await using var reader = await Store.OpenReaderAsync(digest);
        Assert.Equal(size, reader.Size);
        Assert.Equal(digest, await Digest.FromStreamAsync(reader.AsStream()));
        Assert.Empty(await Store.ListStatusesAsync());
    }

    [Fact]
    public async Task OpenWriterInThisProcessWaitsForTheOtherProcessToLetGo()
    {
        using var child = StartIngestHold("waited", 1000, 5000, 5);
        Assert.Equal("ready", await ReadLineAsync(child));
        var waiting = ContentHelpers.OpenWriterAsync(Store, "waited");
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);

        child.StandardInput.Close(); // ingest-hold disposes its writer and exits
        await child.WaitForExitAsync();
        await using var writer = await waiting.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.NotNull(writer);
        Assert.Equal(1000, writer.Status().Offset);
    }

    private Process StartIngestHold(string reference, long bytes, long size, int seed)
    {
        var fixture = typeof(ContentPS.TestFixtures.Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            fixture, "ingest-hold", "--store", Root, "--ref", reference,
            "--bytes", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--size", size.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start)!;
    }

    private static async Task<string?> ReadLineAsync(Process child)
    {
        var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null)
        {
            throw new InvalidOperationException($"ingest-hold exited: {await child.StandardError.ReadToEndAsync()}");
        }
        return line;
    }
}
