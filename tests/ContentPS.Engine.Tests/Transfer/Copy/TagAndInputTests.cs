using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Transfer.Copy;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer.Copy;

/// <summary>Tags that name something else, and inputs a copy refuses.</summary>
[Collection(RegistryCollection.Name)]
public sealed class TagAndInputTests(SharedRegistry shared) : CopyTestBase(shared)
{
    [Fact]
    public async Task ATagNamingAnotherDigestIsTagConflictUntilForced()
    {
        var (single, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "copy-tag-src", new LayoutOptions { Seed = 11 });
        var (other, otherSource) = await PushSourceAsync(LayoutScenario.SinglePlatform, "copy-tag-other", new LayoutOptions { Seed = 12 });
        var destination = NewRepository(OtherProxy.Host, "copy-tag-dst").WithTag("stable");
        await CopyAsync(otherSource, destination);
        OtherProxy.ClearRequests();

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => CopyAsync(source, destination));

        Assert.Equal(ErrorIds.TagConflict, error.ErrorId);
        Assert.Equal(destination.ToString(), error.Target);
        Assert.Contains(other.Digest, error.Message, StringComparison.Ordinal);
        Assert.Equal(["HEAD"], OtherProxy.Requests.Select(r => r.Method).Distinct());
        Assert.Equal(other.Digest, (await TagAsync(destination, "stable"))!.Digest.ToString());

        var forced = await CopyAsync(source, destination, r => r with { Force = true });

        Assert.Equal(single.Digest, forced.Root.Digest.ToString());
        Assert.Equal(single.Digest, (await TagAsync(destination, "stable"))!.Digest.ToString());
    }

    [Fact]
    public async Task ATagThatAlreadyNamesTheImageIsNoConflictAndExtraTagsFollow()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "copy-same-src", new LayoutOptions { Seed = 13 });
        var destination = NewRepository(OtherProxy.Host, "copy-same-dst").WithTag("v1");
        await CopyAsync(source, destination);

        var again = await CopyAsync(source, destination, r => r with { ExtraTags = ["latest", "v1", "1.0"] });

        Assert.Equal(["v1", "latest", "1.0"], again.Tags);
        foreach (var tag in again.Tags)
        {
            Assert.Equal(layout.Digest, (await TagAsync(destination, tag))!.Digest.ToString());
        }
    }

    [Fact]
    public async Task AMissingSourceTagIsNotFound()
    {
        var (_, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "copy-missing-src", new LayoutOptions { Seed = 14 });

        var error = await Assert.ThrowsAsync<NotFoundException>(() => CopyAsync(source.WithTag("nope"), NewRepository(OtherProxy.Host, "copy-missing-dst")));

        Assert.Equal(ErrorIds.ManifestNotFound, error.ErrorId);
        Assert.Empty(OtherProxy.Requests);
    }

    [Fact]
    public async Task AnUnreachableDestinationIsUnavailable()
    {
        var (_, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "copy-unreach-src", new LayoutOptions { Seed = 15 });
        var nowhere = ImageReference.Parse($"127.0.0.1:{FreePort.Pick()}/nowhere/app:v1");

        var error = await Assert.ThrowsAnyAsync<ClassifiedException>(() => CopyAsync(source, nowhere));

        Assert.Equal(ErrorClass.Unavailable, error.Class);
    }

    [Theory]
    [InlineData("registry.example/UPPER:v1")]
    [InlineData("registry.example/app:tag:other")]
    [InlineData("registry.example/app@sha256:abc")]
    [InlineData("")]
    public void AnInvalidReferenceIsInvalidArgument(string reference)
    {
        var error = Assert.ThrowsAny<ClassifiedException>(() => ImageLocation.Registry(reference));

        Assert.Equal((ErrorClass.InvalidArgument, ErrorIds.InvalidReference), (error.Class, error.ErrorId));
    }

    [Fact]
    public async Task BadRequestsAreInvalidArgumentBeforeAnyRequest()
    {
        var source = NewRepository(Proxy.Host, "copy-bad-src").WithTag("v1");
        var destination = NewRepository(OtherProxy.Host, "copy-bad-dst");
        Proxy.ClearRequests();

        var twoAsManifest = await Assert.ThrowsAsync<InvalidArgumentException>(() => CopyAsync(source, destination,
            r => r with { Platforms = [Platforms.Parse("linux/amd64"), Platforms.Parse("linux/arm64")], PlatformAsManifest = true }));
        var storeToStore = await Assert.ThrowsAsync<InvalidArgumentException>(() => ImageCopy.CopyAsync(new CopyRequest
        {
            Source = ImageLocation.InStore(Store, "a/b:c"),
            Destination = ImageLocation.InStore(Store, "a/b:d"),
        }));
        var noConcurrency = await Assert.ThrowsAsync<InvalidArgumentException>(() => CopyAsync(source, destination, r => r with { MaxConcurrency = 0 }));
        var badStoreName = Assert.ThrowsAny<ClassifiedException>(() => ImageLocation.InStore(Store, "Not A Name"));

        Assert.All([twoAsManifest, storeToStore, noConcurrency], e => Assert.Equal(ErrorIds.InvalidArgument, e.ErrorId));
        Assert.Equal(ErrorIds.InvalidImageName, badStoreName.ErrorId);
        Assert.Empty(Proxy.Requests);
        Assert.Empty(OtherProxy.Requests);
    }

    [Fact]
    public async Task AnInvalidExtraTagOrAForeignDigestIsInvalidArgumentAndNothingIsWritten()
    {
        var (_, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "copy-badtag-src", new LayoutOptions { Seed = 16 });
        var destination = NewRepository(OtherProxy.Host, "copy-badtag-dst");

        var badTag = await Assert.ThrowsAnyAsync<ClassifiedException>(() => CopyAsync(source, destination, r => r with { ExtraTags = ["-bad"] }));
        var foreignDigest = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            CopyAsync(source, destination.WithDigest("sha256:" + new string('0', 64))));

        Assert.Equal((ErrorClass.InvalidArgument, ErrorIds.InvalidTag), (badTag.Class, badTag.ErrorId));
        Assert.Equal(ErrorIds.InvalidArgument, foreignDigest.ErrorId);
        Assert.DoesNotContain(OtherProxy.Requests, r => r.Method is "PUT" or "POST" or "PATCH");
    }
}
