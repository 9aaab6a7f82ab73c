using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Client;
using ContentPS.Engine.Transfer.Copy;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer.Copy;

/// <summary>Single blobs between repositories, registries and the store.</summary>
[Collection(RegistryCollection.Name)]
public sealed class BlobCopyTests(SharedRegistry shared) : CopyTestBase(shared)
{
    [Fact]
    public async Task BlobsAreMountedOnTheSameRegistryUploadedToAnotherAndFoundTheSecondTime()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "blob-src", new LayoutOptions { Seed = 31 });
        var layers = layout.OfKind(BlobKind.Layer).Select(TestRegistryClient.DescriptorOf).ToList();
        var config = Digest.Parse(layout.OfKind(BlobKind.Config).Single().Digest);
        var sameHost = NewRepository(Proxy.Host, "blob-same");
        var otherHost = NewRepository(OtherProxy.Host, "blob-other");
        BlobCopyRequest Request(ImageReference to) => new()
        {
            Blobs = layers, Digests = [config], SourceRepository = source, DestinationRepository = to, Client = Client.Client,
        };

        var mounted = await BlobCopy.CopyAsync(Request(sameHost));
        var uploaded = await BlobCopy.CopyAsync(Request(otherHost));
        var again = await BlobCopy.CopyAsync(Request(otherHost));

        var expected = layers.Select(l => l.Digest.ToString()).Append(config.ToString()).ToList();
        Assert.Equal(expected, mounted.Select(r => r.Descriptor.Digest.ToString()));
        Assert.All(mounted, r => Assert.Equal((BlobPushOutcome.Mounted, source.Path), (r.Outcome, r.MountedFrom)));
        Assert.All(uploaded, r => Assert.Equal(BlobPushOutcome.Uploaded, r.Outcome));
        Assert.All(again, r => Assert.Equal(BlobPushOutcome.Existed, r.Outcome));
        Assert.Equal(layout.OfKind(BlobKind.Config).Single().Size, uploaded[^1].Descriptor.Size);
        Assert.Empty(await MissingAsync(otherHost, layout.Blobs.Where(b => b.Kind is BlobKind.Layer or BlobKind.Config)));
    }

    [Fact]
    public async Task BlobsGoIntoTheStoreLabelledWithTheirSourceAndOutToAnotherRegistry()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "blob-store-src", new LayoutOptions { Seed = 32 });
        var digests = BlobsOf(layout).Select(b => Digest.Parse(b.Digest)).ToList();
        var destination = NewRepository(OtherProxy.Host, "blob-store-dst");

        var pulled = await BlobCopy.CopyAsync(new BlobCopyRequest { Digests = digests, SourceRepository = source, DestinationStore = Store, Client = Client.Client });
        var present = await BlobCopy.CopyAsync(new BlobCopyRequest { Digests = digests, SourceRepository = source, DestinationStore = Store, Client = Client.Client });
        var pushed = await BlobCopy.CopyAsync(new BlobCopyRequest { Digests = digests, SourceStore = Store, DestinationRepository = destination, Client = Client.Client });

        Assert.All(pulled, r => Assert.Equal(BlobPushOutcome.Uploaded, r.Outcome));
        Assert.All(present, r => Assert.Equal(BlobPushOutcome.Existed, r.Outcome));
        Assert.All(pushed, r => Assert.Equal(BlobPushOutcome.Uploaded, r.Outcome));
        foreach (var digest in digests)
        {
            var info = await Store.InfoAsync(digest);
            Assert.Equal(source.Path, info.Labels![ImageHandlers.DistributionSourceKey(source.Domain)]);
            Assert.NotNull(await Client.Client.TryGetBlobAsync(destination, digest));
        }
    }

    [Fact]
    public async Task AnUnavailableMountOrUploadStartIsResentByTheTransportNotByTheCopy()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "blob-503-src", new LayoutOptions { Seed = 34 });
        var layer = TestRegistryClient.DescriptorOf(layout.OfKind(BlobKind.Layer).First());
        var sameHost = NewRepository(Proxy.Host, "blob-503-same");
        var otherHost = NewRepository(OtherProxy.Host, "blob-503-other");
        var mountRefused = Proxy.AddRule(FaultRule.Status(503, $"/v2/{sameHost.Path}/blobs/uploads/\\?mount=", "POST", times: 1));
        var startRefused = OtherProxy.AddRule(FaultRule.Status(503, "/blobs/uploads/$", "POST", times: 2));

        var mounted = await BlobCopy.CopyAsync(new BlobCopyRequest { Blobs = [layer], SourceRepository = source, DestinationRepository = sameHost, Client = Client.Client });
        var uploaded = await BlobCopy.CopyAsync(new BlobCopyRequest { Blobs = [layer], SourceRepository = source, DestinationRepository = otherHost, Client = Client.Client });

        Assert.Equal((1, 2), (Proxy.Hits(mountRefused), OtherProxy.Hits(startRefused)));
        Assert.Equal(BlobPushOutcome.Mounted, Assert.Single(mounted).Outcome);
        Assert.Equal(BlobPushOutcome.Uploaded, Assert.Single(uploaded).Outcome);
        // One existence check each: the copy did not start the push again, the transport resent the POST.
        Assert.Equal([("HEAD", 404), ("POST", 503), ("POST", 201)], ToRepository(Proxy, sameHost));
        Assert.Equal([("HEAD", 404), ("POST", 503), ("POST", 503), ("POST", 202), ("PUT", 201)], ToRepository(OtherProxy, otherHost));
    }

    [Fact]
    public async Task AMissingBlobIsNotFoundAndACorruptOneIsDigestMismatch()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "blob-bad-src", new LayoutOptions { Seed = 33 });
        var layer = TestRegistryClient.DescriptorOf(layout.OfKind(BlobKind.Layer).First());
        var destination = NewRepository(OtherProxy.Host, "blob-bad-dst");
        Proxy.AddRule(FaultRule.CorruptBody("/blobs/" + layer.Digest, "GET"));

        var missing = await Assert.ThrowsAsync<NotFoundException>(() => BlobCopy.CopyAsync(new BlobCopyRequest
        {
            Digests = [Digest.Parse("sha256:" + new string('1', 64))], SourceRepository = source, DestinationRepository = destination, Client = Client.Client,
        }));
        var corrupt = await Assert.ThrowsAsync<FailedPreconditionException>(() => BlobCopy.CopyAsync(new BlobCopyRequest
        {
            Blobs = [layer], SourceRepository = source, DestinationRepository = destination, Client = Client.Client,
        }));
        var corruptIntoStore = await Assert.ThrowsAsync<FailedPreconditionException>(() => BlobCopy.CopyAsync(new BlobCopyRequest
        {
            Blobs = [layer], SourceRepository = source, DestinationStore = Store, Client = Client.Client,
        }));

        Assert.Equal(ErrorIds.BlobNotFound, missing.ErrorId);
        Assert.Equal(ErrorIds.DigestMismatch, corrupt.ErrorId);
        Assert.Equal(ErrorIds.DigestMismatch, corruptIntoStore.ErrorId);
        Assert.Null(await Client.Client.TryGetBlobAsync(destination, layer.Digest));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.InfoAsync(layer.Digest));
    }

    [Fact]
    public async Task ARequestWithoutOneSourceAndOneDestinationIsInvalidArgument()
    {
        var repository = NewRepository(Proxy.Host, "blob-args");

        var none = await Assert.ThrowsAsync<InvalidArgumentException>(() => BlobCopy.CopyAsync(new BlobCopyRequest { DestinationStore = Store, Client = Client.Client }));
        var both = await Assert.ThrowsAsync<InvalidArgumentException>(() => BlobCopy.CopyAsync(new BlobCopyRequest
        {
            SourceRepository = repository, SourceStore = Store, DestinationRepository = repository, Client = Client.Client,
        }));
        var noClient = await Assert.ThrowsAsync<InvalidArgumentException>(() => BlobCopy.CopyAsync(new BlobCopyRequest
        {
            SourceRepository = repository, DestinationStore = Store,
        }));

        Assert.All([none, both, noClient], e => Assert.Equal(ErrorIds.InvalidArgument, e.ErrorId));
        Assert.Empty(Proxy.Requests);
    }

    private static IReadOnlyList<(string Method, int Status)> ToRepository(FaultProxy proxy, ImageReference repository) =>
        proxy.Requests.Where(r => r.Target.StartsWith($"/v2/{repository.Path}/", StringComparison.Ordinal)).Select(r => (r.Method, r.Status)).ToList();
}
