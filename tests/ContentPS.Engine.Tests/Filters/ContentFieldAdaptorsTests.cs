using ContentPS.Engine.Content;
using ContentPS.Engine.Filters;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Filters;

public class ContentFieldAdaptorsTests
{
    private static readonly Digest Blob = Digest.FromBytes("hello"u8);

    private static ContentInfo Info(Dictionary<string, string>? labels = null) => new()
    {
        Digest = Blob,
        Size = 5,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
        Labels = labels ?? new Dictionary<string, string>(),
    };

    private static bool Matches(string filter, ContentInfo info) => Filter.Parse([filter]).Match(ContentFieldAdaptors.For(info));

    private static bool Matches(string filter, IngestStatus status) => Filter.Parse([filter]).Match(ContentFieldAdaptors.For(status));

    [Fact]
    public void ContentInfoFields()
    {
        var adaptor = ContentFieldAdaptors.For(Info(new() { ["team"] = "x", ["example.com/gc.ref"] = "y" }));
        Assert.Equal((Blob.ToString(), true), adaptor.Field(["digest"]));
        Assert.Equal(("5", true), adaptor.Field(["size"]));
        Assert.Equal(("x", true), adaptor.Field(["labels", "team"]));
        Assert.Equal(("y", true), adaptor.Field(["labels", "example.com/gc.ref"]));
        Assert.Equal(("y", true), adaptor.Field(["labels", "example", "com/gc", "ref"]));
        Assert.Equal(("", true), adaptor.Field(["labels"]));
        Assert.Equal(("", false), adaptor.Field(["labels", "absent"]));
        Assert.Equal(("", false), adaptor.Field(["digest", "x"]));
        Assert.Equal(("", false), adaptor.Field(["Digest"]));
        Assert.Equal(("", false), adaptor.Field([]));
    }

    [Fact]
    public void ContentInfoFilters()
    {
        var labelled = Info(new() { ["team"] = "blue", ["example.com/tier"] = "gold" });
        var bare = Info();
        Assert.True(Matches($"digest=={Blob}", labelled));
        Assert.False(Matches("digest==sha256:0000000000000000000000000000000000000000000000000000000000000000", labelled));
        Assert.True(Matches("size==5,labels.team==blue", labelled));
        Assert.True(Matches("labels.\"example.com/tier\"~=^go", labelled));
        Assert.True(Matches("labels", labelled));
        Assert.False(Matches("labels", bare));
        Assert.False(Matches("labels.team", bare));
        Assert.True(Matches("labels.team!=blue", bare));
    }

    [Fact]
    public void IngestStatusFields()
    {
        var status = new IngestStatus
        {
            Ref = "pull-1",
            Offset = 10,
            Total = 20,
            Expected = Blob,
            StartedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
            Locked = true,
        };
        var adaptor = ContentFieldAdaptors.For(status);
        Assert.Equal(("pull-1", true), adaptor.Field(["ref"]));
        Assert.Equal(("10", true), adaptor.Field(["offset"]));
        Assert.Equal(("20", true), adaptor.Field(["total"]));
        Assert.Equal((Blob.ToString(), true), adaptor.Field(["expected"]));
        Assert.Equal(("true", true), adaptor.Field(["locked"]));
        Assert.Equal(("", false), adaptor.Field(["labels"]));

        var unknown = ContentFieldAdaptors.For(status with { Total = 0, Expected = null, Locked = false });
        Assert.Equal(("", false), unknown.Field(["total"]));
        Assert.Equal(("", false), unknown.Field(["expected"]));
        Assert.Equal(("false", true), unknown.Field(["locked"]));

        Assert.True(Matches("ref~=^pull-,locked==true", status));
        Assert.False(Matches("expected", status with { Expected = null }));
    }
}
