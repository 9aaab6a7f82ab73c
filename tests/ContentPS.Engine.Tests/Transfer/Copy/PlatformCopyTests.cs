using System.Text.Json.Nodes;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer.Copy;

/// <summary>Copies of some platforms of an index: a new index of those entries, or one platform's manifest.</summary>
[Collection(RegistryCollection.Name)]
public sealed class PlatformCopyTests(SharedRegistry shared) : CopyTestBase(shared)
{
    [Fact]
    public async Task ASubsetWritesANewIndexOfExactlyThoseEntriesAndTheirAttestation()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.MultiPlatform, "copy-subset-src");
        var destination = NewRepository(OtherProxy.Host, "copy-subset-dst").WithTag("two");

        var result = await CopyAsync(source, destination, r => r with { Platforms = [Platforms.Parse("linux/arm64"), Platforms.Parse("linux/amd64")] });

        Assert.True(result.IndexRewritten);
        Assert.Equal(["linux/arm64/v8", "linux/amd64"], result.Platforms);
        Assert.NotEqual(layout.Digest, result.Root.Digest.ToString());
        Assert.Equal(layout.Digest, result.SourceRoot.Digest.ToString());
        var tagged = await TagAsync(destination, "two");
        Assert.Equal(result.Root.Digest, tagged!.Digest);
        var written = await Client.Client.FetchManifestAsync(destination, tagged);

        // The source index with the arm/v7 entry left out, every other byte of meaning as it was.
        var original = JsonNode.Parse(File.ReadAllBytes(FixtureTools.BlobPath(layout, layout.Top)))!.AsObject();
        var expectedEntries = original["manifests"]!.AsArray()
            .Where(e => e!["platform"]?["architecture"]?.GetValue<string>() != "arm" || e["platform"]?["variant"]?.GetValue<string>() != "v7")
            .Select(e => e!.DeepClone()).ToArray();
        Assert.Equal(3, expectedEntries.Length); // amd64, arm64/v8, the attestation of amd64
        original["manifests"] = new JsonArray(expectedEntries);
        Assert.True(JsonNode.DeepEquals(original, JsonNode.Parse(written.Body)), System.Text.Encoding.UTF8.GetString(written.Body));

        var armV7 = layout.ManifestFor("linux/arm/v7");
        Assert.Null(await Client.Client.TryGetManifestAsync(destination, armV7.Digest));
        var kept = layout.Blobs.Where(b => !IsUnder(layout, armV7, b)).ToList();
        Assert.Empty(await MissingAsync(destination, kept.Where(b => b.Digest != layout.Digest)));
        Assert.Equal(ManifestsOf(layout).Count - 1, result.ManifestsPushed);
    }

    [Fact]
    public async Task ADockerListSubsetIsADockerListOfThatEntry()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.DockerMultiPlatform, "copy-dsubset-src");
        var destination = NewRepository(OtherProxy.Host, "copy-dsubset-dst");
        var amd64 = layout.ManifestFor("linux/amd64");

        var result = await CopyAsync(source, destination, r => r with { Platforms = [Platforms.Parse("linux/amd64")] });

        Assert.True(result.IndexRewritten);
        Assert.Equal(layout.MediaType, result.Root.MediaType);
        var written = await Client.Client.FetchManifestAsync(destination, (await TagAsync(destination, "v1"))!);
        var index = ManifestParser.ParseIndex(written.Body, layout.MediaType);
        Assert.Equal([amd64.Digest], index.Manifests.Select(m => m.Digest.ToString()));
        Assert.Empty(await MissingAsync(destination, layout.Blobs.Where(b => b.Digest == amd64.Digest || ChildrenOf(layout, amd64).Contains(b.Digest))));
    }

    [Fact]
    public async Task ANestedIndexIsCopiedWholeInnerIndexesAfterTheirManifests()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.NestedIndex, "copy-nested-src");
        var destination = NewRepository(OtherProxy.Host, "copy-nested-dst");

        var result = await CopyAsync(source, destination);

        Assert.Equal(layout.Digest, result.Root.Digest.ToString());
        Assert.Empty(await MissingAsync(destination, layout.Blobs));
        // Every manifest PUT comes after the PUTs of what it names: the registry would refuse it otherwise, and the order is logged.
        var puts = ManifestPuts(OtherProxy).Select(r => r.Target[(r.Target.LastIndexOf('/') + 1)..]).ToList();
        var inner = layout.OfKind(BlobKind.Index).Single(i => i.Digest != layout.Digest);
        Assert.Equal(ManifestsOf(layout).Where(m => m.Digest != layout.Digest).Select(m => m.Digest).Append("v1").Order(), puts.Order());
        Assert.True(puts.IndexOf(inner.Digest) > puts.IndexOf(layout.ManifestFor("linux/amd64").Digest));
        Assert.True(puts.IndexOf(inner.Digest) > puts.IndexOf(layout.ManifestFor("linux/arm64/v8").Digest));
        Assert.Equal("v1", puts[^1]);
    }

    [Fact]
    public async Task OnePlatformCanBeCopiedAsItsPlainManifest()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.MultiPlatform, "copy-single-src");
        var destination = NewRepository(Proxy.Host, "copy-single-dst").WithTag("arm");
        var armV7 = layout.ManifestFor("linux/arm/v7");

        var result = await CopyAsync(source, destination, r => r with { Platforms = [Platforms.Parse("linux/arm/v7")], PlatformAsManifest = true });

        Assert.False(result.IndexRewritten);
        Assert.Equal((armV7.Digest, armV7.MediaType), (result.Root.Digest.ToString(), result.Root.MediaType));
        Assert.Equal(armV7.Digest, (await TagAsync(destination, "arm"))!.Digest.ToString());
        Assert.Equal(["linux/arm/v7"], result.Platforms);
        Assert.Equal(1, result.ManifestsPushed);
        Assert.Null(await Client.Client.TryGetManifestAsync(destination, layout.Digest));
        var armBlobs = ChildrenOf(layout, armV7);
        Assert.Equal(armBlobs.Order(), result.Blobs.Select(b => b.Descriptor.Digest.ToString()).Order());
    }

    [Fact]
    public async Task APlatformTheIndexDoesNotOfferIsPlatformNotFoundAndNothingIsWritten()
    {
        var (_, source) = await PushSourceAsync(LayoutScenario.MultiPlatform, "copy-noplat-src");
        var destination = NewRepository(OtherProxy.Host, "copy-noplat-dst");

        var error = await Assert.ThrowsAsync<NotFoundException>(() => CopyAsync(source, destination, r => r with { Platforms = [Platforms.Parse("linux/s390x")] }));

        Assert.Equal(ErrorIds.PlatformNotFound, error.ErrorId);
        Assert.Contains("linux/arm/v7", error.Message, StringComparison.Ordinal);
        Assert.Empty(OtherProxy.Requests);
    }

    [Fact]
    public async Task ASingleManifestIsCopiedForItsOwnPlatformAndRefusedForAnother()
    {
        var (layout, source) = await PushSourceAsync(LayoutScenario.SinglePlatform, "copy-oneman-src");
        var destination = NewRepository(OtherProxy.Host, "copy-oneman-dst");

        var error = await Assert.ThrowsAsync<NotFoundException>(() => CopyAsync(source, destination, r => r with { Platforms = [Platforms.Parse("linux/arm64")] }));
        var result = await CopyAsync(source, destination, r => r with { Platforms = [Platforms.Parse("linux/amd64")] });

        Assert.Equal(ErrorIds.PlatformNotFound, error.ErrorId);
        Assert.Contains("linux/amd64", error.Message, StringComparison.Ordinal);
        Assert.Equal(layout.Digest, result.Root.Digest.ToString());
        Assert.Equal(["linux/amd64"], result.Platforms);
    }

    private static bool IsUnder(LayoutResult layout, LayoutBlob manifest, LayoutBlob blob) =>
        blob.Digest == manifest.Digest || ChildrenOf(layout, manifest).Contains(blob.Digest);
}
