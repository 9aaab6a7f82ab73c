using ContentPS.Engine.Content;

namespace ContentPS.Engine.Tests.Content;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("contentps-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ReplacesTheWholeFileAndLeavesNoTempFiles()
    {
        var path = Path.Combine(_dir, "sub", "index.json");
        await AtomicFile.WriteAllBytesAsync(path, "first version, longer"u8.ToArray());
        await AtomicFile.WriteAllBytesAsync(path, "second"u8.ToArray());
        Assert.Equal("second", await File.ReadAllTextAsync(path));
        Assert.Equal(["index.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ReadersRacingAWriterSeeOnlyWholeVersions()
    {
        var path = Path.Combine(_dir, "file");
        var versions = Enumerable.Range(0, 40).Select(i => new string((char)('a' + i % 26), 1000 + i * 97)).ToArray();
        await AtomicFile.WriteAllBytesAsync(path, System.Text.Encoding.ASCII.GetBytes(versions[0]));
        var writer = Task.Run(async () =>
        {
            foreach (var v in versions) await AtomicFile.WriteAllBytesAsync(path, System.Text.Encoding.ASCII.GetBytes(v));
        });
        while (!writer.IsCompleted)
        {
            var seen = await File.ReadAllTextAsync(path);
            Assert.Contains(seen, versions);
        }
        await writer;
    }

    [Fact]
    public void SyncDirectoryAcceptsADirectoryAndIgnoresAMissingOne()
    {
        AtomicFile.SyncDirectory(_dir);
        AtomicFile.SyncDirectory(Path.Combine(_dir, "missing"));
    }
}
