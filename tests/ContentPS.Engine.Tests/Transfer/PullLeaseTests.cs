using System.Collections.Concurrent;
using ContentPS.Engine.Content;
using ContentPS.Engine.Content.Leases;
using ContentPS.Engine.Gc;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Client;
using ContentPS.Engine.Transfer;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer;

/// <summary>A pull holds a lease on what it fetched until the image record names it, then lets it go.</summary>
[Collection(RegistryCollection.Name)]
public sealed class PullLeaseTests(SharedRegistry shared) : ProxiedStoreTests(shared)
{
    [Fact]
    public async Task EveryBlobIsLeasedBeforeItIsCommittedAndTheLeaseEndsWithThePull()
    {
        var pushed = await PushedLayouts.GetAsync(Registry, LayoutScenario.MultiPlatform);
        var probe = new LeaseProbe(LeaseManager.Open(Store));

        var result = await ImagePull.PullAsync(new PullRequest
        {
            Reference = ImageReference.Parse($"{Proxy.Host}/{pushed.Repository}:{PushedLayouts.Tag}"),
            Store = Store,
            Client = Client.Client,
            Tracker = probe,
        });

        Assert.True(result.BlobsFetched > 0);
        Assert.NotEmpty(probe.Checked);
        Assert.All(probe.Checked, check => Assert.True(check.Leased, $"{check.Digest} was committed without a live lease naming it"));
        Assert.Empty(await LeaseManager.Open(Store).ListAsync());

        // With the lease gone, the record alone keeps everything the pull fetched.
        var collected = await GarbageCollector.CollectAsync(Store);
        Assert.Empty(collected.RemovedContent);
    }

    private sealed class LeaseProbe(LeaseManager leases) : ITransferTracker
    {
        public ConcurrentBag<(Digest Digest, bool Leased)> Checked { get; } = [];

        public void Done(Descriptor blob)
        {
            var live = leases.ListAsync(CancellationToken.None).GetAwaiter().GetResult();
            Checked.Add((blob.Digest, live.Any(lease => lease.Alive && lease.Content.Contains(blob.Digest))));
        }

        public void Waiting(Descriptor blob)
        {
        }

        public void Downloading(Descriptor blob, long offset)
        {
        }

        public void Resumed(Descriptor blob, long fromOffset)
        {
        }

        public void AlreadyPresent(Descriptor blob)
        {
        }

        public void Failed(Descriptor blob, Exception error)
        {
        }
    }
}
