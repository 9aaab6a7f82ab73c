using ContentPS.Engine.Content;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Archives;

/// <summary>Stores filled from fixture layouts through the store's writers, and what tests check a store for.</summary>
internal static class ArchiveTestStore
{
    /// <summary>Writes every blob of <paramref name="layout"/> into <paramref name="store"/> and names its top blob <paramref name="name"/>.</summary>
    public static async Task AddAsync(LocalContentStore store, LayoutResult layout, string name, Func<LayoutBlob, bool>? include = null)
    {
        foreach (var blob in layout.Blobs.Where(include ?? (_ => true)))
        {
            await using var source = File.OpenRead(FixtureTools.BlobPath(layout, blob));
            await ContentHelpers.WriteBlobAsync(store, "test-" + blob.Digest, source, DescriptorOf(blob));
        }
        await new ImageRecordStore(store.Root).SetAsync(name, DescriptorOf(layout.Top));
    }

    public static Descriptor DescriptorOf(LayoutBlob blob) =>
        new() { MediaType = blob.MediaType, Digest = Digest.Parse(blob.Digest), Size = blob.Size };

    /// <summary>The digests of the committed blobs, sorted.</summary>
    public static async Task<List<string>> BlobsAsync(IContentStore store)
    {
        var digests = new List<string>();
        await foreach (var info in store.WalkAsync()) digests.Add(info.Digest.ToString());
        digests.Sort(StringComparer.Ordinal);
        return digests;
    }

    /// <summary>Records, blobs and ingests of a store, to compare before and after a failed import.</summary>
    public static async Task<string> StateAsync(LocalContentStore store)
    {
        var records = await new ImageRecordStore(store.Root).ListAsync();
        var ingests = await store.ListStatusesAsync();
        var leases = Directory.Exists(Path.Combine(store.Root, "contentps", "leases"))
            ? Directory.GetDirectories(Path.Combine(store.Root, "contentps", "leases")).Length
            : 0;
        return $"records: {string.Join(",", records.Select(r => r.Name + "=" + r.Target.Digest))}; "
            + $"blobs: {string.Join(",", await BlobsAsync(store))}; ingests: {ingests.Count}; leases: {leases}";
    }
}
