using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Content.Store;

/// <summary>A fresh store in a temp folder per test, and the checks containerd's suite shares.</summary>
public abstract class StoreTestBase : IDisposable
{
    private static int s_seed;

    protected StoreTestBase()
    {
        Root = Directory.CreateTempSubdirectory("contentps-store-").FullName;
        Store = OpenStore();
    }

    protected string Root { get; }

    protected LocalContentStore Store { get; }

    /// <summary>Another instance on the same root: shares nothing in memory, as another process would.</summary>
    protected LocalContentStore OpenStore() => new(Root, new FileLabelStore(Root));

    /// <summary>A store instance on <see cref="Root"/>; with <paramref name="lockFilePerIngest"/>, locking as where the OS has no byte-range locks.</summary>
    protected LocalContentStore OpenStore(bool lockFilePerIngest) =>
        new(StoreLayout.OpenOrCreate(Root), new FileLabelStore(Root), lockFilePerIngest);

    /// <summary>The files of the ingest of <paramref name="reference"/> in <see cref="Store"/>.</summary>
    internal IngestFiles IngestOf(string reference) => IngestFiles.Of(Store.Layout, reference);

    /// <summary>Different content on every call (a seeded generator, like containerd's createContent).</summary>
    protected static (byte[] Content, Digest Digest) CreateContent(long size)
    {
        var content = new byte[size];
        new Random(Interlocked.Increment(ref s_seed)).NextBytes(content);
        return (content, Digest.FromBytes(content));
    }

    protected static Descriptor DescriptorOf(byte[] content, Digest digest) =>
        new() { MediaType = "application/octet-stream", Digest = digest, Size = content.Length };

    protected async Task CheckInfoAsync(
        Digest digest, long size, IReadOnlyDictionary<string, string>? labels,
        DateTimeOffset createdFrom, DateTimeOffset createdTo, DateTimeOffset updatedFrom, DateTimeOffset updatedTo)
    {
        var info = await Store.InfoAsync(digest);
        Assert.Equal(digest, info.Digest);
        Assert.Equal(size, info.Size);
        Assert.InRange(info.CreatedAt, createdFrom, createdTo);
        Assert.InRange(info.UpdatedAt, updatedFrom, updatedTo);
        Assert.Equal(
            (labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal),
            info.Labels.OrderBy(l => l.Key, StringComparer.Ordinal));
    }

    protected static void CheckStatus(
        IContentWriter writer, string reference, long offset, long total, Digest digest,
        DateTimeOffset startedFrom, DateTimeOffset startedTo, DateTimeOffset updatedFrom, DateTimeOffset updatedTo)
    {
        var status = writer.Status();
        Assert.Equal(digest, writer.Digest);
        Assert.Equal(reference, status.Ref);
        Assert.Equal(offset, status.Offset);
        Assert.Equal(total, status.Total);
        Assert.InRange(status.StartedAt, startedFrom, startedTo);
        Assert.InRange(status.UpdatedAt, updatedFrom, updatedTo);
    }

    /// <summary>Writes through a buffer of <paramref name="bufferSize"/> bytes, like io.CopyBuffer.</summary>
    protected static async Task WriteInPiecesAsync(IContentWriter writer, byte[] content, int bufferSize)
    {
        for (var offset = 0; offset < content.Length; offset += bufferSize)
        {
            await writer.WriteAsync(content.AsMemory(offset, Math.Min(bufferSize, content.Length - offset)));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        GC.SuppressFinalize(this);
    }
}
