using ContentPS.Engine.Oci;
using ContentPS.Internal;

namespace ContentPS.Tests.Registry;

public sealed class IndexPlatformChoiceTests
{
    private static int s_next;

    private static Descriptor Entry(string? platform, string mediaType = MediaTypes.OciManifest, Dictionary<string, string>? annotations = null) => new()
    {
        MediaType = mediaType,
        Digest = Digest.FromBytes([(byte)Interlocked.Increment(ref s_next)]),
        Size = 100,
        Platform = platform is null ? null : Platforms.Parse(platform),
        Annotations = annotations,
    };

    private static ImageIndex Index(params Descriptor[] entries) => new() { Manifests = entries };

    [Fact]
    public void Best_match_first_then_what_the_platform_can_run()
    {
        Descriptor armV7 = Entry("linux/arm/v7"), arm64 = Entry("linux/arm64/v8"), amd64 = Entry("linux/amd64"), armV6 = Entry("linux/arm/v6");
        IReadOnlyList<Descriptor> chosen = IndexPlatformChoice.Candidates(Index(armV6, armV7, amd64, arm64), Platforms.Only(Platforms.Parse("linux/arm64")));
        Assert.Equal([arm64, armV7, armV6], chosen);
    }

    [Fact]
    public void Equal_matches_keep_the_index_order()
    {
        Descriptor first = Entry("linux/amd64"), second = Entry("linux/amd64"), third = Entry("linux/amd64");
        Assert.Equal([first, second, third], IndexPlatformChoice.Candidates(Index(first, second, third), Platforms.Only(Platforms.Parse("linux/amd64"))));
    }

    [Fact]
    public void Attestations_are_never_chosen_by_platform_or_by_annotation()
    {
        Descriptor image = Entry("linux/amd64");
        Descriptor unknown = Entry("unknown/unknown");
        Descriptor annotated = Entry("linux/amd64", annotations: new() { ["vnd.docker.reference.type"] = "attestation-manifest" });
        ImageIndex index = Index(unknown, annotated, image);
        Assert.Equal([image], IndexPlatformChoice.Candidates(index, Platforms.Only(Platforms.Parse("linux/amd64"))));
        Assert.Equal([image], IndexPlatformChoice.Candidates(index, Platforms.All));
        Assert.Equal(["linux/amd64"], IndexPlatformChoice.Platforms(Index(image, unknown, annotated)));
    }

    [Fact]
    public void Nested_indexes_without_platform_come_after_the_matches_and_manifests_without_platform_never()
    {
        Descriptor nested = Entry(null, MediaTypes.OciIndex), bare = Entry(null), arm64 = Entry("linux/arm64");
        Assert.Equal([arm64, nested], IndexPlatformChoice.Candidates(Index(nested, bare, arm64), Platforms.Only(Platforms.Parse("linux/arm64"))));
    }

    [Fact]
    public void Platforms_lists_each_runnable_platform_once_in_index_order()
    {
        ImageIndex index = Index(Entry("linux/arm/v7"), Entry("linux/amd64"), Entry("linux/arm/v7"), Entry(null, MediaTypes.OciIndex));
        Assert.Equal(["linux/arm/v7", "linux/amd64"], IndexPlatformChoice.Platforms(index));
    }
}
