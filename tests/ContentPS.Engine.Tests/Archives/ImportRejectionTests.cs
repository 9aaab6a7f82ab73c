using System.Formats.Tar;
using ContentPS.Engine.Archives;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Archives;

/// <summary>Bad archives and layouts: each a classified error, and the store exactly as it was (records, blobs, ingests, leases).</summary>
public sealed class ImportRejectionTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();
    private LocalContentStore _store = null!;
    private LayoutResult _layout = null!;
    private string _before = "";

    public async Task InitializeAsync()
    {
        _store = LocalContentStore.Open(_temp.Combine("store"));
        var resident = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("resident"), new LayoutOptions { Seed = 7 });
        await ArchiveTestStore.AddAsync(_store, resident, "resident:v1");
        _layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("layout"), new LayoutOptions { LayerCount = 2, LayerSize = 256 * 1024 });
        _before = await ArchiveTestStore.StateAsync(_store);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ATruncatedArchiveIsArchiveTruncated()
    {
        var archive = _temp.Combine("app.tar");
        await ToolRunner.RunCheckedAsync("skopeo", "copy", $"oci:{_layout.Directory}:latest", $"oci-archive:{archive}:v1");
        var layer = _layout.OfKind(BlobKind.Layer).First();
        var cut = FindOffset(archive, layer.Encoded) + layer.Size / 2;
        using (var file = new FileStream(archive, FileMode.Open)) file.SetLength(cut);

        var error = await RejectedAsync<DataLossException>(archive);
        Assert.Equal(ErrorIds.ArchiveTruncated, error.ErrorId);
    }

    [Fact]
    public async Task AnEntryClimbingOutWithDotDotIsUnsafe()
    {
        var archive = _temp.Combine("evil.tar");
        TestTars.FromDirectory(_layout.Directory, archive, w => TestTars.AddFile(w, "blobs/../../evil", "x"u8.ToArray()));
        var error = await RejectedAsync<InvalidArgumentException>(archive);
        Assert.Equal(ErrorIds.ArchiveUnsafeEntry, error.ErrorId);
        Assert.Contains("..", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Combine("evil")));
    }

    [Fact]
    public async Task AnAbsoluteEntryIsUnsafe()
    {
        var archive = _temp.Combine("evil.tar");
        TestTars.FromDirectory(_layout.Directory, archive, w => TestTars.AddFile(w, "/tmp/contentps-evil", "x"u8.ToArray()));
        var error = await RejectedAsync<InvalidArgumentException>(archive);
        Assert.Equal(ErrorIds.ArchiveUnsafeEntry, error.ErrorId);
        Assert.Contains("absolute", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASymlinkPointingOutOfTheArchiveIsUnsafe()
    {
        var archive = _temp.Combine("evil.tar");
        TestTars.FromDirectory(_layout.Directory, archive, w => TestTars.AddSymlink(w, "blobs/sha256/passwd", "../../../etc/passwd"));
        var error = await RejectedAsync<InvalidArgumentException>(archive);
        Assert.Equal(ErrorIds.ArchiveUnsafeEntry, error.ErrorId);
        Assert.Equal("blobs/sha256/passwd", error.Target);
    }

    [Fact]
    public async Task AHardLinkToAPathOutsideTheArchiveIsUnsafe()
    {
        var archive = _temp.Combine("evil.tar");
        TestTars.FromDirectory(_layout.Directory, archive, w => w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "blobs/sha256/shadow") { LinkName = "../etc/shadow" }));
        var error = await RejectedAsync<InvalidArgumentException>(archive);
        Assert.Equal(ErrorIds.ArchiveUnsafeEntry, error.ErrorId);
    }

    [Fact]
    public async Task ASymlinkInsideTheArchiveIsFollowed()
    {
        // docker save links a layer shared by two images to the first copy; such links are fine.
        var layer = _layout.OfKind(BlobKind.Layer).First();
        var directory = _temp.Combine("linked");
        CopyDirectory(_layout.Directory, directory);
        File.Move(Path.Combine(directory, layer.RelativePath), Path.Combine(directory, "layer.data"));
        var archive = _temp.Combine("linked.tar");
        TestTars.FromDirectory(directory, archive, w => TestTars.AddSymlink(w, layer.RelativePath.Replace('\\', '/'), "../../layer.data"));

        var result = await ImageImport.ImportAsync(new ImportRequest { Store = _store, Path = archive, Name = "linked:v1" });
        Assert.Equal(_layout.Digest, Assert.Single(result.Images).Root.Digest.ToString());
        Assert.Contains(layer.Digest, await ArchiveTestStore.BlobsAsync(_store));
        Assert.Empty(await _store.ListStatusesAsync());
    }

    [Fact]
    public async Task ALayoutWhoseIndexNamesAMissingBlobIsNotFoundNamingIt()
    {
        var directory = _temp.Combine("missing");
        CopyDirectory(_layout.Directory, directory);
        var layer = _layout.OfKind(BlobKind.Layer).Last();
        File.Delete(Path.Combine(directory, layer.RelativePath));

        var error = await RejectedAsync<NotFoundException>(directory);
        Assert.Equal(ErrorIds.BlobNotFound, error.ErrorId);
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABlobWhoseDigestLiesIsDigestMismatchInALayoutAndInATar()
    {
        var directory = _temp.Combine("lies");
        CopyDirectory(_layout.Directory, directory);
        var layer = _layout.OfKind(BlobKind.Layer).Last();
        var path = Path.Combine(directory, layer.RelativePath);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^1] ^= 0xff;
        await File.WriteAllBytesAsync(path, bytes);

        var error = await RejectedAsync<FailedPreconditionException>(directory);
        Assert.Equal(ErrorIds.DigestMismatch, error.ErrorId);
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);

        var archive = _temp.Combine("lies.tar");
        TestTars.FromDirectory(directory, archive);
        var fromTar = await RejectedAsync<FailedPreconditionException>(archive);
        Assert.Equal(ErrorIds.DigestMismatch, fromTar.ErrorId);
    }

    [Fact]
    public async Task ADockerLayerThatDoesNotMatchItsDiffIdIsDigestMismatch()
    {
        var archive = _temp.Combine("docker.tar");
        await ToolRunner.RunCheckedAsync("skopeo", "copy", $"oci:{_layout.Directory}:latest", $"docker-archive:{archive}:app:v1");
        var bad = _temp.Combine("bad.tar");
        var layer = _layout.OfKind(BlobKind.Layer).First();
        RewriteTar(archive, bad, (name, content) => name.Contains(layer.DiffId!["sha256:".Length..], StringComparison.Ordinal) ? Flip(content) : content);

        var error = await RejectedAsync<FailedPreconditionException>(bad);
        Assert.Equal(ErrorIds.DigestMismatch, error.ErrorId);
        Assert.Contains(layer.DiffId!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALayoutBlobThatIsASymlinkOutOfTheLayoutIsUnsafe()
    {
        var directory = _temp.Combine("symlinked");
        CopyDirectory(_layout.Directory, directory);
        var layer = _layout.OfKind(BlobKind.Layer).First();
        var outside = _temp.Combine("outside-layer");
        File.Move(Path.Combine(directory, layer.RelativePath), outside);
        File.CreateSymbolicLink(Path.Combine(directory, layer.RelativePath), outside);

        var error = await RejectedAsync<InvalidArgumentException>(directory);
        Assert.Equal(ErrorIds.ArchiveUnsafeEntry, error.ErrorId);
    }

    [Fact]
    public async Task BytesThatAreNoArchiveAndAMissingPathAreClassified()
    {
        var junk = _temp.Combine("junk.tar");
        await File.WriteAllBytesAsync(junk, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());
        Assert.Equal(ErrorIds.ArchiveInvalid, (await RejectedAsync<InvalidArgumentException>(junk)).ErrorId);

        // Shorter than one tar header: not a tar, rather than a tar cut short.
        var text = _temp.Combine("text.tar");
        await File.WriteAllTextAsync(text, "not a tar\n");
        Assert.Equal(ErrorIds.ArchiveInvalid, (await RejectedAsync<InvalidArgumentException>(text)).ErrorId);

        var empty = _temp.Combine("empty");
        Directory.CreateDirectory(empty);
        Assert.Equal(ErrorIds.ArchiveInvalid, (await RejectedAsync<InvalidArgumentException>(empty)).ErrorId);

        Assert.Equal(ErrorIds.PathNotFound, (await RejectedAsync<NotFoundException>(_temp.Combine("nothing.tar"))).ErrorId);
    }

    [Fact]
    public async Task ANameForAnArchiveOfSeveralImagesIsRefused()
    {
        var store = LocalContentStore.Open(_temp.Combine("two"));
        await ArchiveTestStore.AddAsync(store, _layout, "one:v1");
        var other = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("other"), new LayoutOptions { Seed = 9 });
        await ArchiveTestStore.AddAsync(store, other, "two:v1");
        var archive = _temp.Combine("two.tar");
        await ImageExport.ExportAsync(new ExportRequest { Store = store, Names = ["one:v1", "two:v1"], Path = archive, Format = ArchiveFormat.OciArchive });

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => ImageImport.ImportAsync(new ImportRequest { Store = _store, Path = archive, Name = "single:v1" }));
        Assert.Equal(ErrorIds.InvalidArgument, error.ErrorId);
        Assert.Equal(_before, await ArchiveTestStore.StateAsync(_store));

        var result = await ImageImport.ImportAsync(new ImportRequest { Store = _store, Path = archive });
        Assert.Equal(["one:v1", "two:v1"], result.Images.Select(i => i.Name));
    }

    private async Task<T> RejectedAsync<T>(string path) where T : Exception
    {
        var error = await Assert.ThrowsAsync<T>(() => ImageImport.ImportAsync(new ImportRequest { Store = _store, Path = path }));
        Assert.Equal(_before, await ArchiveTestStore.StateAsync(_store));
        return error;
    }

    private static long FindOffset(string archive, string entrySuffix)
    {
        using var file = File.OpenRead(archive);
        using var reader = new TarReader(file);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name.EndsWith(entrySuffix, StringComparison.Ordinal)) return file.Position;
        }
        throw new InvalidOperationException($"no entry {entrySuffix}");
    }

    private static void RewriteTar(string from, string to, Func<string, byte[], byte[]> change)
    {
        using var input = File.OpenRead(from);
        using var reader = new TarReader(input);
        using var output = File.Create(to);
        using var writer = new TarWriter(output, TarEntryFormat.Pax);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null)
            {
                writer.WriteEntry(entry);
                continue;
            }
            using var buffer = new MemoryStream();
            entry.DataStream.CopyTo(buffer);
            TestTars.AddFile(writer, entry.Name, change(entry.Name, buffer.ToArray()));
        }
    }

    private static byte[] Flip(byte[] content)
    {
        var copy = (byte[])content.Clone();
        copy[^1] ^= 0xff;
        return copy;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var path in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target);
        }
    }
}
