using System.Diagnostics;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Tests.Content;

public sealed class FileLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("contentps-lock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SecondHolderInTheSameProcessIsRefusedUntilTheFirstReleases()
    {
        var path = Path.Combine(_dir, "lock");
        using (var first = FileLock.TryAcquire(path))
        {
            Assert.NotNull(first);
            Assert.Null(FileLock.TryAcquire(path));
        }
        using var again = FileLock.TryAcquire(path);
        Assert.NotNull(again);
    }

    [Fact]
    public void AnotherProcessHoldingTheLockRefusesUsAndItsDeathReleasesIt()
    {
        var path = Path.Combine(_dir, "lock");
        // flock(1) holds an flock(2) lock on the file while its command runs; -o keeps the lock's descriptor
        // out of the command, so the lock dies with flock itself and not, a moment later, with sleep.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "-o", path, "sleep", "30"]))!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        FileLock? attempt;
        while ((attempt = FileLock.TryAcquire(path)) is not null && DateTime.UtcNow < deadline)
        {
            attempt.Dispose();
            Thread.Sleep(20);
        }
        Assert.Null(attempt);

        holder.Kill(entireProcessTree: true);
        holder.WaitForExit();
        // The child's child (sleep) shares the lock's open file; it dies a moment after flock itself.
        deadline = DateTime.UtcNow.AddSeconds(10);
        FileLock? taken;
        while ((taken = FileLock.TryAcquire(path)) is null && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.NotNull(taken);
        taken.Dispose();
    }

    [Fact]
    public async Task AcquireWaitsForTheHolderAndHonoursCancellation()
    {
        var path = Path.Combine(_dir, "lock");
        var held = FileLock.TryAcquire(path)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var ex = await Assert.ThrowsAsync<CanceledException>(() => FileLock.AcquireAsync(path, cts.Token));
        Assert.Equal(path, ex.Target);

        var waiting = FileLock.AcquireAsync(path);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        held.Dispose();
        using var taken = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(path, taken.Path);
    }

    [Fact]
    public void TheHolderStampsItsProcessAndTimeAndOthersCanReadItWhileItIsHeld()
    {
        var path = Path.Combine(_dir, "lock");
        Assert.False(FileLock.IsHeld(path));
        Assert.Null(FileLock.LastHolder(path));
        var before = DateTimeOffset.UtcNow;
        using (var held = FileLock.TryAcquire(path)!)
        {
            Assert.True(FileLock.IsHeld(path));
            var holder = FileLock.LastHolder(path);
            Assert.NotNull(holder);
            Assert.Equal(Environment.ProcessId, holder.Value.ProcessId);
            Assert.Equal(held.AcquiredAt, holder.Value.Since);
            Assert.InRange(held.AcquiredAt, before, DateTimeOffset.UtcNow);
            // The probe took nothing away from the holder.
            Assert.Null(FileLock.TryAcquire(path));
        }
        Assert.False(FileLock.IsHeld(path));
    }

    [Fact]
    public void ALockWhoseFileWasRemovedOrReplacedIsNoLongerAtItsPath()
    {
        var path = Path.Combine(_dir, "lock");
        using var held = FileLock.TryAcquire(path)!;
        Assert.True(held.IsStillAt());

        File.Delete(path);
        Assert.False(held.IsStillAt());

        // Someone else creates and locks a new file at the same path: both "hold" a lock, only one is real.
        using var other = FileLock.TryAcquire(path)!;
        Assert.NotNull(other);
        Assert.False(held.IsStillAt());
        Assert.True(other.IsStillAt());
    }
}
