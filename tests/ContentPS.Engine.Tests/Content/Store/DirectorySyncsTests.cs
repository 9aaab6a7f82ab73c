using ContentPS.Engine.Content;

namespace ContentPS.Engine.Tests.Content.Store;

/// <summary>Folder syncs deferred while an operation commits many blobs, and done once when it flushes or ends.</summary>
public sealed class DirectorySyncsTests : StoreTestBase
{
    [Fact]
    public async Task CommitsUnderADeferralLeaveTheirFoldersPendingUntilAFlush()
    {
        var (content, digest) = CreateContent(100);
        var labels = new Dictionary<string, string> { ["a"] = "b" };
        using (DirectorySyncs.Defer(Root))
        {
            await ContentHelpers.WriteBlobAsync(Store, "r", new MemoryStream(content), DescriptorOf(content, digest), labels);
            Assert.Equal(
                [Path.Combine(Root, "blobs", "sha256"), Path.Combine(Root, "contentps", "labels", "sha256")],
                DirectorySyncs.Pending(Root + Path.DirectorySeparatorChar));
            DirectorySyncs.Flush(Root);
            Assert.Empty(DirectorySyncs.Pending(Root));
        }

        var (other, otherDigest) = CreateContent(100);
        await ContentHelpers.WriteBlobAsync(Store, "s", new MemoryStream(other), DescriptorOf(other, otherDigest), labels);
        Assert.Empty(DirectorySyncs.Pending(Root));
    }

    [Fact]
    public async Task NestedDeferralsKeepDeferringUntilTheLastEnds()
    {
        var outer = DirectorySyncs.Defer(Root);
        using (DirectorySyncs.Defer(Root))
        {
            var (content, digest) = CreateContent(10);
            await ContentHelpers.WriteBlobAsync(Store, "r", new MemoryStream(content), DescriptorOf(content, digest));
        }
        Assert.Equal([Path.Combine(Root, "blobs", "sha256")], DirectorySyncs.Pending(Root));
        outer.Dispose();
        outer.Dispose();
        Assert.Empty(DirectorySyncs.Pending(Root));
    }
}
