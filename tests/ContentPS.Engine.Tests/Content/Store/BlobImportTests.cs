using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Content.Store;

/// <summary>BlobImport, the code path of Import-Blob and of the import benchmark.</summary>
public sealed class BlobImportTests : StoreTestBase
{
    private string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(Root, "..", $"{Path.GetFileName(Root)}-{name}");
        File.WriteAllBytes(path, content);
        return Path.GetFullPath(path);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(BlobImport.ChunkSize - 1)]
    [InlineData(BlobImport.ChunkSize)]
    [InlineData(BlobImport.ChunkSize * 7 + 3)]
    public async Task ImportsAFile(int size)
    {
        var (content, digest) = CreateContent(size);
        var path = WriteFile($"f{size}", content);
        var result = await BlobImport.ImportFileAsync(Store, path);
        Assert.Equal(digest, result.Digest);
        Assert.Equal(size, result.Size);
        Assert.True(result.Committed);
        Assert.Equal(0, result.ResumedAt);
        Assert.Equal(BlobImport.RefFor(path), result.Ref);
        Assert.Equal(size, (await Store.InfoAsync(digest)).Size);
        Assert.Empty(await Store.ListStatusesAsync());
        File.Delete(path);
    }

    [Fact]
    public async Task ContentThatExistsIsASuccessAndGetsTheNewLabels()
    {
        var (content, digest) = CreateContent(5000);
        var path = WriteFile("exists", content);
        await BlobImport.ImportFileAsync(Store, path, new Dictionary<string, string> { ["a"] = "1" });
        var again = await BlobImport.ImportFileAsync(Store, path, new Dictionary<string, string> { ["b"] = "2" });
        Assert.False(again.Committed);
        Assert.Equal(digest, again.Digest);
        var labels = (await Store.InfoAsync(digest)).Labels;
        Assert.Equal("1", labels["a"]);
        Assert.Equal("2", labels["b"]);
        Assert.Empty(await Store.ListStatusesAsync());
        File.Delete(path);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(BlobImport.ChunkSize)]
    [InlineData(BlobImport.ChunkSize * 2 + 5)]
    public async Task ResumesAMatchingPartialIngest(int partial)
    {
        var (content, digest) = CreateContent(BlobImport.ChunkSize * 3);
        var path = WriteFile($"resume{partial}", content);
        await using (var writer = await Store.OpenWriterAsync(BlobImport.RefFor(path)))
        {
            await writer.WriteAsync(content.AsMemory(0, partial));
        }
        var notes = new List<string>();
        var result = await BlobImport.ImportFileAsync(Store, path, observer: new BlobImportObserver { Note = notes.Add });
        Assert.Equal(digest, result.Digest);
        Assert.Equal(partial, result.ResumedAt);
        Assert.Contains(notes, note => note.Contains($"at offset {partial}"));
        File.Delete(path);
    }

    [Fact]
    public async Task StartsOverWhenThePartialIngestDoesNotMatch()
    {
        var (content, digest) = CreateContent(100_000);
        var path = WriteFile("mismatch", content);
        await using (var writer = await Store.OpenWriterAsync(BlobImport.RefFor(path)))
        {
            await writer.WriteAsync(new byte[5000]);
        }
        var result = await BlobImport.ImportFileAsync(Store, path);
        Assert.Equal(digest, result.Digest);
        Assert.Equal(0, result.ResumedAt);
        File.Delete(path);
    }

    [Fact]
    public async Task WaitsForAnotherWriterOfTheSameFile()
    {
        var (content, digest) = CreateContent(10_000);
        var path = WriteFile("locked", content);
        var holder = await OpenStore().OpenWriterAsync(BlobImport.RefFor(path));
        var notes = new List<string>();
        var import = BlobImport.ImportFileAsync(Store, path, observer: new BlobImportObserver { Note = note => { lock (notes) notes.Add(note); } });
        await Task.Delay(200);
        Assert.False(import.IsCompleted);
        await holder.DisposeAsync();
        var result = await import.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(digest, result.Digest);
        Assert.Contains(notes, note => note.Contains("waiting"));
        File.Delete(path);
    }

    [Fact]
    public async Task AMissingFileIsPathNotFoundAndAFolderPathIsDirectory()
    {
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => BlobImport.ImportFileAsync(Store, Path.Combine(Root, "nope")));
        Assert.Equal(ErrorIds.PathNotFound, missing.ErrorId);
        var folder = await Assert.ThrowsAsync<InvalidArgumentException>(() => BlobImport.ImportFileAsync(Store, Root));
        Assert.Equal(ErrorIds.PathIsDirectory, folder.ErrorId);
    }

    [Fact]
    public async Task ReportsProgressUpToTheSize()
    {
        var (content, _) = CreateContent(BlobImport.ChunkSize * 4 + 10);
        var path = WriteFile("progress", content);
        var seen = new List<(long Offset, long Total)>();
        await BlobImport.ImportFileAsync(Store, path, observer: new BlobImportObserver { Progress = (o, t) => { lock (seen) seen.Add((o, t)); } });
        Assert.Equal((content.Length, (long)content.Length), seen[^1]);
        Assert.True(seen.Count >= 5);
        File.Delete(path);
    }
}
