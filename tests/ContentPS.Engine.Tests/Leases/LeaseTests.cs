using ContentPS.Engine.Content.Leases;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Gc;

namespace ContentPS.Engine.Tests.Leases;

public sealed class LeaseTests : IDisposable
{
    private readonly LayoutStore _store = new();

    private LeaseManager Manager => LeaseManager.Open(_store.Store);

    private static Digest DigestOf(int seed) => Digest.FromBytes(LayoutStore.RandomBytes(64, seed));

    [Fact]
    public async Task ACreatedLeaseIsListedAliveWithItsLabelsAndWhatWasAddedThenDeleteRemovesIt()
    {
        await using var lease = await Manager.CreateAsync(new LeaseOptions { Id = "pull-1", Labels = new Dictionary<string, string> { ["purpose"] = "test" } });
        await lease.AddAsync(DigestOf(1));
        await lease.AddAsync([DigestOf(2), DigestOf(1), DigestOf(3)]);
        await lease.AddIngestAsync("some-ref");

        // Another manager instance shares nothing in memory with this one, as another process would not.
        var listed = Assert.Single(await new LeaseManager(_store.Root).ListAsync());
        Assert.Equal("pull-1", listed.Id);
        Assert.True(listed.Alive);
        Assert.Equal(Environment.ProcessId, listed.ProcessId);
        Assert.Equal("test", listed.Labels["purpose"]);
        Assert.Null(listed.ExpiresAt);
        Assert.Equal([DigestOf(1), DigestOf(2), DigestOf(3)], listed.Content);
        Assert.Equal([ContentPS.Engine.Content.StoreLayout.IngestKey("some-ref")], listed.IngestKeys);
        Assert.Equal(lease.CreatedAt, listed.CreatedAt);
        Assert.Equal(3, lease.Content.Count);

        await lease.DeleteAsync();
        Assert.Empty(await Manager.ListAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Manager.LeasesDirectory));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => lease.AddAsync(DigestOf(4)));
    }

    [Fact]
    public async Task DisposeDeletesTheLeaseAndGeneratedIdsDiffer()
    {
        string first;
        await using (var lease = await Manager.CreateAsync())
        {
            first = lease.Id;
            await using var other = await Manager.CreateAsync();
            Assert.NotEqual(first, other.Id);
            Assert.Equal(2, (await Manager.ListAsync()).Count);
        }
        Assert.Empty(await Manager.ListAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("with space")]
    public async Task AnIdThatCouldNotBeAFolderNameIsInvalidLeaseId(string id)
    {
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => Manager.CreateAsync(new LeaseOptions { Id = id }));
        Assert.Equal(ErrorIds.InvalidLeaseId, ex.ErrorId);
        Assert.False(Directory.Exists(Manager.LeasesDirectory) && Directory.EnumerateFileSystemEntries(Manager.LeasesDirectory).Any());
    }

    [Fact]
    public async Task AnIdInUseIsAlreadyExistsAndALiveLeaseCannotBeDeletedByAnother()
    {
        await using var lease = await Manager.CreateAsync(new LeaseOptions { Id = "taken" });
        var exists = await Assert.ThrowsAsync<AlreadyExistsException>(() => Manager.CreateAsync(new LeaseOptions { Id = "taken" }));
        Assert.Equal(ErrorIds.AlreadyExists, exists.ErrorId);

        var inUse = await Assert.ThrowsAsync<UnavailableException>(() => Manager.DeleteAsync("taken"));
        Assert.Equal(ErrorIds.LeaseInUse, inUse.ErrorId);
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => Manager.DeleteAsync("never"));
        Assert.Equal(ErrorIds.LeaseNotFound, missing.ErrorId);
        Assert.True(Assert.Single(await Manager.ListAsync()).Alive);
    }

    [Fact]
    public async Task BadLabelsAndExpirationsAreInvalidArgument()
    {
        var label = await Assert.ThrowsAsync<InvalidArgumentException>(() => Manager.CreateAsync(new LeaseOptions { Labels = new Dictionary<string, string> { [""] = "v" } }));
        Assert.Equal(ErrorIds.InvalidLabel, label.ErrorId);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Manager.CreateAsync(new LeaseOptions { Expiration = TimeSpan.Zero }));
        Assert.Empty(await Manager.ListAsync());
    }

    [Fact]
    public async Task AnExpirationIsStoredAsContainerdsLabel()
    {
        await using var lease = await Manager.CreateAsync(new LeaseOptions { Expiration = TimeSpan.FromHours(1) });
        var listed = Assert.Single(await Manager.ListAsync());
        Assert.True(listed.Labels.ContainsKey(GcLabels.Expire));
        Assert.NotNull(listed.ExpiresAt);
        Assert.InRange(listed.ExpiresAt!.Value, lease.CreatedAt.AddMinutes(59), lease.CreatedAt.AddMinutes(61));
        Assert.True(listed.Protects(DateTimeOffset.UtcNow));
        Assert.False(listed.Protects(listed.ExpiresAt.Value.AddSeconds(1)));
    }

    [Fact]
    public async Task AddsFromManyThreadsAreAllRecorded()
    {
        await using var lease = await Manager.CreateAsync();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => lease.AddAsync(DigestOf(100 + i)))));
        var listed = Assert.Single(await Manager.ListAsync());
        Assert.Equal(64, listed.Content.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 64).Select(i => DigestOf(100 + i)).ToHashSet(), listed.Content.ToHashSet());
    }

    [Fact]
    public async Task AnUnstorableDigestIsRefused()
    {
        await using var lease = await Manager.CreateAsync();
        var blake = Digest.Parse("blake3:" + new string('a', 64));
        await Assert.ThrowsAnyAsync<ClassifiedException>(() => lease.AddAsync(blake));
        Assert.Empty(Assert.Single(await Manager.ListAsync()).Content);
    }

    [Fact]
    public async Task TheLeaseOfAKilledProcessIsDeadAndCanBeDeleted()
    {
        var digest = DigestOf(7);
        using var child = _store.StartLeaseWriter("--id", "held-by-child", "--digests", digest.ToString());
        try
        {
            Assert.Equal("ready held-by-child", await LayoutStore.ReadLineAsync(child));
            var alive = Assert.Single(await Manager.ListAsync());
            Assert.True(alive.Alive);
            Assert.Equal(child.Id, alive.ProcessId);
            Assert.Equal([digest], alive.Content);
            var inUse = await Assert.ThrowsAsync<UnavailableException>(() => Manager.DeleteAsync("held-by-child"));
            Assert.Equal(ErrorIds.LeaseInUse, inUse.ErrorId);
        }
        finally
        {
            child.Kill(); // SIGKILL: the child deletes nothing; only the OS releases its lock
            await child.WaitForExitAsync();
        }

        var dead = Assert.Single(await Manager.ListAsync());
        Assert.False(dead.Alive);
        Assert.False(dead.Protects(DateTimeOffset.UtcNow));
        await Manager.DeleteAsync("held-by-child");
        Assert.Empty(await Manager.ListAsync());
    }

    [Fact]
    public async Task AChildThatClosesNormallyRemovesItsLease()
    {
        using var child = _store.StartLeaseWriter("--id", "polite");
        Assert.Equal("ready polite", await LayoutStore.ReadLineAsync(child));
        child.StandardInput.Close();
        await child.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.Equal(0, child.ExitCode);
        Assert.Empty(await Manager.ListAsync());
    }

    public void Dispose() => _store.Dispose();
}
