using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;

namespace ContentPS.Engine.Tests.Content.Store;

public sealed class StoreLayoutTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AMissingRootIsCreatedAsAnOciLayout()
    {
        var root = _temp.Combine("a/b/store");
        var layout = StoreLayout.OpenOrCreate(root);
        Assert.Equal(root, layout.Root);
        Assert.Equal("""{"imageLayoutVersion":"1.0.0"}""", File.ReadAllText(Path.Combine(root, "oci-layout")));
        Assert.Equal("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""", File.ReadAllText(Path.Combine(root, "index.json")));
        Assert.True(Directory.Exists(Path.Combine(root, "blobs")));
        Assert.True(Directory.Exists(Path.Combine(root, "ingest")));
        // No temp files left behind.
        Assert.Equal(["blobs", "index.json", "ingest", "oci-layout"], Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnEmptyFolderBecomesAStoreAndAnExistingStoreIsLeftAsItIs()
    {
        var root = _temp.Combine("store");
        Directory.CreateDirectory(root);
        StoreLayout.OpenOrCreate(root);
        Assert.True(File.Exists(Path.Combine(root, "oci-layout")));

        const string index = """{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1}]}""";
        File.WriteAllText(Path.Combine(root, "index.json"), index);
        File.WriteAllText(Path.Combine(root, "notes.txt"), "unknown files are tolerated");
        Directory.CreateDirectory(Path.Combine(root, "something-else"));
        StoreLayout.OpenOrCreate(root + "/");
        Assert.Equal(index, File.ReadAllText(Path.Combine(root, "index.json")));
        Assert.True(File.Exists(Path.Combine(root, "notes.txt")));
    }

    [Fact]
    public void AFolderLeftByAnInterruptedCreateIsCompleted()
    {
        var root = _temp.Combine("store");
        Directory.CreateDirectory(Path.Combine(root, "blobs"));
        File.WriteAllText(Path.Combine(root, ".oci-layout.123.tmp"), "");
        StoreLayout.OpenOrCreate(root);
        Assert.True(File.Exists(Path.Combine(root, "oci-layout")));
    }

    [Fact]
    public void ARootThatIsAFileIsNotAStore()
    {
        var root = _temp.Combine("file");
        File.WriteAllText(root, "hello");
        var ex = Assert.Throws<FailedPreconditionException>(() => StoreLayout.OpenOrCreate(root));
        Assert.Equal(ErrorIds.StoreInvalid, ex.ErrorId);
        Assert.Equal($"{root} is not a content store: it is a file, not a store folder", ex.Message);
        Assert.Equal(root, ex.Target);
    }

    [Fact]
    public void ANonEmptyFolderWithoutOciLayoutIsNotAStore()
    {
        var root = _temp.Combine("home");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "thesis.docx"), "x");
        var ex = Assert.Throws<FailedPreconditionException>(() => StoreLayout.OpenOrCreate(root));
        Assert.Equal(ErrorIds.StoreInvalid, ex.ErrorId);
        Assert.Contains("\"thesis.docx\"", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(root, "oci-layout")));
        Assert.False(Directory.Exists(Path.Combine(root, "blobs")));
    }

    [Theory]
    [InlineData("""{"imageLayoutVersion":"2.0.0"}""", "is an OCI layout of version \"2.0.0\"")]
    [InlineData("""{"imageLayoutVersion":1}""", "without \"imageLayoutVersion\"")]
    [InlineData("""[]""", "without \"imageLayoutVersion\"")]
    [InlineData("""not json""", "that is not JSON")]
    public void AnOciLayoutFileThisEngineCannotReadIsNotAStore(string layoutFile, string expected)
    {
        var root = _temp.Combine("store");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "oci-layout"), layoutFile);
        var ex = Assert.Throws<FailedPreconditionException>(() => StoreLayout.OpenOrCreate(root));
        Assert.Equal(ErrorIds.StoreInvalid, ex.ErrorId);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(layoutFile, File.ReadAllText(Path.Combine(root, "oci-layout")));
    }

    [Fact]
    public void TheDefaultRootIsTheEnvironmentVariableElseThePerUserDataFolder()
    {
        var saved = Environment.GetEnvironmentVariable(StoreLocation.EnvironmentVariable);
        var savedXdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        try
        {
            Environment.SetEnvironmentVariable(StoreLocation.EnvironmentVariable, _temp.Combine("mine"));
            Assert.Equal(_temp.Combine("mine"), StoreLocation.DefaultRoot());

            Environment.SetEnvironmentVariable(StoreLocation.EnvironmentVariable, null);
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", null);
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var expected = OperatingSystem.IsWindows()
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ContentPS", "store")
                : OperatingSystem.IsMacOS()
                    ? Path.Combine(home, "Library", "Application Support", "ContentPS", "store")
                    : Path.Combine(home, ".local", "share", "ContentPS", "store");
            Assert.Equal(expected, StoreLocation.DefaultRoot());
        }
        finally
        {
            Environment.SetEnvironmentVariable(StoreLocation.EnvironmentVariable, saved);
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", savedXdg);
        }
    }

    [Theory]
    [InlineData("sha256:../../../../etc/passwd")]
    [InlineData("sha256:/etc/passwd")]
    [InlineData("sha256:..")]
    [InlineData("../sha256:abc")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    public void ADigestThatCouldNameAPathIsRefusedBeforeAnyPathIsBuilt(string text)
    {
        Assert.Throws<InvalidArgumentException>(() => Digest.Parse(text));
    }

    [Fact]
    public async Task DigestsOfOtherAlgorithmsNeverBecomePaths()
    {
        var root = _temp.Combine("store");
        var store = new LocalContentStore(root, new FileLabelStore(root));
        var foreign = Digest.Parse("blake3:" + new string('a', 64));
        await Assert.ThrowsAsync<UnimplementedException>(() => store.InfoAsync(foreign));
        await Assert.ThrowsAsync<UnimplementedException>(() => store.OpenReaderAsync(foreign));
        await Assert.ThrowsAsync<UnimplementedException>(() => store.OpenWriterAsync("r", 0, foreign));
        var unknown = Digest.Parse("md5:0cc175b9c0f1b6a831c399e269772661");
        await Assert.ThrowsAsync<UnimplementedException>(() => store.DeleteAsync(unknown));
    }

    [Theory]
    [InlineData("../../outside")]
    [InlineData("/tmp/absolute")]
    [InlineData("..")]
    [InlineData("a/../../b\0c")]
    public async Task RefsAreHashedSoTheyNeverAddressAPathOutsideTheIngestFolder(string reference)
    {
        var root = _temp.Combine("nested/store");
        var store = new LocalContentStore(root, new FileLabelStore(root));
        await using (var writer = await store.OpenWriterAsync(reference))
        {
            await writer.WriteAsync(new byte[] { 1 });
        }
        var key = StoreLayout.IngestKey(reference);
        Assert.Equal(
            [Path.Combine(root, "ingest", key + ".data"), Path.Combine(root, "ingest", key + ".json")],
            Directory.GetFileSystemEntries(Path.Combine(root, "ingest")).Order(StringComparer.Ordinal));
        Assert.Equal(reference, (await store.StatusAsync(reference)).Ref);
        Assert.Equal(["store"], Directory.EnumerateFileSystemEntries(_temp.Combine("nested")).Select(Path.GetFileName));
        Assert.Equal(["nested"], Directory.EnumerateFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }
}
