using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Transfer;
using ContentPS.Engine.Transfer.Copy;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer.Copy;

/// <summary>Publishing from the local store after a pull, and copies from a registry into the store.</summary>
[Collection(RegistryCollection.Name)]
public sealed class StoreCopyTests(SharedRegistry shared) : CopyTestBase(shared)
{
    [Fact]
    public async Task APublishAfterAPullMountsFromTheRepositoryTheLabelsNameAndWritesEveryTag()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.MultiPlatform, "publish-mount-src");
        var pulled = await ImagePull.PullAsync(new PullRequest { Reference = source, Store = Store, Client = Client.Client, AllPlatforms = true });
        var destination = NewRepository(Proxy.Host, "publish-mount-dst");
        Proxy.ClearRequests();

        var result = await ImageCopy.PublishAsync(new PublishRequest
        {
            Store = Store, Name = pulled.Name, Destination = destination, Client = Client.Client, Tags = ["extra"],
        });

        Assert.Equal(["v1", "extra"], result.Tags);
        Assert.Equal(BlobsOf(layout).Count, result.BlobsMounted);
        Assert.All(result.Blobs, b => Assert.Equal(source.Path, b.MountedFrom));
        Assert.All(UploadRequests(Proxy, destination), r => Assert.Contains("mount=", r.Target, StringComparison.Ordinal));
        Assert.DoesNotContain(Proxy.Requests, r => r.Target.StartsWith($"/v2/{source.Path}/", StringComparison.Ordinal) && r.Method == "GET");
        Assert.Equal(layout.Digest, (await TagAsync(destination, "v1"))!.Digest.ToString());
        Assert.Equal(layout.Digest, (await TagAsync(destination, "extra"))!.Digest.ToString());
        Assert.Empty(await MissingAsync(destination, layout.Blobs));
    }

    [Fact]
    public async Task APublishToAnotherRegistryUploadsFromTheStore()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "publish-other-src", new LayoutOptions { Seed = 21 });
        var pulled = await ImagePull.PullAsync(new PullRequest { Reference = source, Store = Store, Client = Client.Client });
        var destination = NewRepository(OtherProxy.Host, "publish-other-dst").WithTag("published");
        Proxy.ClearRequests();

        var result = await ImageCopy.PublishAsync(new PublishRequest { Store = Store, Name = pulled.Name, Destination = destination, Client = Client.Client });

        Assert.Equal(BlobsOf(layout).Count, result.BlobsUploaded);
        Assert.Empty(Proxy.Requests);
        Assert.Equal(layout.Digest, (await TagAsync(destination, "published"))!.Digest.ToString());
        Assert.Empty(await MissingAsync(destination, layout.Blobs));
    }

    [Fact]
    public async Task APublishNeedsTheBlobsOfWhatItPushes()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.MultiPlatform, "publish-partial-src", new LayoutOptions { Seed = 22 });
        using var host = Platforms.OverrideDefault(Platforms.Parse("linux/arm/v7"));
        var pulled = await ImagePull.PullAsync(new PullRequest { Reference = source, Store = Store, Client = Client.Client });
        var whole = NewRepository(OtherProxy.Host, "publish-partial-all");
        var subset = NewRepository(OtherProxy.Host, "publish-partial-arm");

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            ImageCopy.PublishAsync(new PublishRequest { Store = Store, Name = pulled.Name, Destination = whole, Client = Client.Client }));
        var result = await ImageCopy.PublishAsync(new PublishRequest
        {
            Store = Store, Name = pulled.Name, Destination = subset, Client = Client.Client, Platforms = [Platforms.Parse("linux/arm/v7")],
        });

        Assert.Equal(ErrorIds.BlobNotFound, error.ErrorId);
        Assert.Null(await TagAsync(whole, "v1"));
        Assert.True(result.IndexRewritten);
        Assert.Equal(result.Root.Digest, (await TagAsync(subset, "v1"))!.Digest);
        Assert.NotNull(await Client.Client.TryGetManifestAsync(subset, layout.ManifestFor("linux/arm/v7").Digest));
    }

    [Fact]
    public async Task ACopyIntoTheStoreIsAPullUnderTheRecordNameAndARecordNamingAnotherImageIsTagConflict()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.MultiPlatform, "copy-store-src", new LayoutOptions { Seed = 23 });
        var (other, otherSource) = await PushSourceAsync(LayoutScenario.SinglePlatform, "copy-store-other", new LayoutOptions { Seed = 24 });
        var destination = ImageLocation.InStore(Store, "mirror/app:v1");
        CopyRequest Request(ImageReference from) => new() { Source = new RegistryImageLocation(from), Destination = destination, Client = Client.Client };

        var result = await ImageCopy.CopyAsync(Request(source));
        var conflict = await Assert.ThrowsAsync<FailedPreconditionException>(() => ImageCopy.CopyAsync(Request(otherSource)));
        var forced = await ImageCopy.CopyAsync(Request(otherSource) with { Force = true });

        Assert.Equal(layout.Digest, result.Root.Digest.ToString());
        Assert.Equal(BlobsOf(layout).Count, result.BlobsUploaded);
        Assert.Equal(ManifestsOf(layout).Count, result.ManifestsPushed);
        Assert.Equal(ErrorIds.TagConflict, conflict.ErrorId);
        Assert.Equal(other.Digest, forced.Root.Digest.ToString());
        Assert.Equal(other.Digest, (await new ImageRecordStore(Store.Root).GetAsync("mirror/app:v1")).Target.Digest.ToString());
    }

    [Fact]
    public async Task OnePlatformIntoTheStoreAsItsManifest()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.MultiPlatform, "copy-store-one", new LayoutOptions { Seed = 25 });
        var arm64 = layout.ManifestFor("linux/arm64/v8");

        var result = await ImageCopy.CopyAsync(new CopyRequest
        {
            Source = new RegistryImageLocation(source),
            Destination = ImageLocation.InStore(Store, "one/app:arm64"),
            Client = Client.Client,
            Platforms = [Platforms.Parse("linux/arm64")],
            PlatformAsManifest = true,
        });

        Assert.Equal(arm64.Digest, result.Root.Digest.ToString());
        Assert.Equal(arm64.Digest, (await new ImageRecordStore(Store.Root).GetAsync("one/app:arm64")).Target.Digest.ToString());
        Assert.Equal(ChildrenOf(layout, arm64).Order(), result.Blobs.Select(b => b.Descriptor.Digest.ToString()).Order());
        Assert.All(result.Blobs, b => Assert.Equal(BlobPushOutcome.Uploaded, b.Outcome));
        Assert.Equal(1, result.ManifestsPushed);
    }
}
