using System.Text;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;

namespace ContentPS.Engine.Tests.Content.Labels;

public sealed class FileLabelStoreTests : IDisposable
{
    private static readonly Digest Blob = Digest.FromBytes("blob"u8);
    private readonly TempDirectory _root = new();
    private readonly FileLabelStore _store;

    public FileLabelStoreTests() => _store = new FileLabelStore(_root.Path);

    public void Dispose() => _root.Dispose();

    private string LabelFile => Path.Combine(_root.Path, "contentps", "labels", "sha256", Blob.Encoded + ".json");

    private static Dictionary<string, string> L(params string[] pairs)
    {
        var labels = new Dictionary<string, string>();
        for (var i = 0; i < pairs.Length; i += 2) labels[pairs[i]] = pairs[i + 1];
        return labels;
    }

    private static string Show(IReadOnlyDictionary<string, string> labels) =>
        string.Join(";", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    [Fact]
    public async Task AnUnlabelledBlobHasNoLabelsAndNoUpdateTime()
    {
        var set = await _store.GetAsync(Blob);
        Assert.Empty(set.Labels);
        Assert.Null(set.UpdatedAt);
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "contentps")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("labels")]
    public async Task ReplaceSetsExactlyTheGivenLabelsAndDropsEmptyValues(string? path)
    {
        await _store.UpdateAsync(Blob, L("old", "1", "keep", "x"));
        IReadOnlyList<string>? paths = path is null ? null : [path];
        var before = DateTimeOffset.UtcNow;
        var result = await _store.UpdateAsync(Blob, L("a", "1", "b.c/d", "2", "empty", ""), paths);
        var after = DateTimeOffset.UtcNow;

        Assert.Equal("a=1;b.c/d=2", Show(result.Labels));
        Assert.InRange(result.UpdatedAt!.Value, before, after);
        var read = await new FileLabelStore(_root.Path).GetAsync(Blob);
        Assert.Equal("a=1;b.c/d=2", Show(read.Labels));
        Assert.Equal(result.UpdatedAt, read.UpdatedAt);
    }

    [Fact]
    public async Task TheFileIsCompactJsonWithSortedLabelsAndAnUpdateTime()
    {
        var result = await _store.UpdateAsync(Blob, L("z", "last", "a", "fir+st \"q\"", "é", "ü"));
        var text = await File.ReadAllTextAsync(LabelFile);
        Assert.Equal(
            "{\"labels\":{\"a\":\"fir+st \\\"q\\\"\",\"z\":\"last\",\"é\":\"ü\"},\"updatedAt\":\"" + result.UpdatedAt!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + "\"}",
            text);
        Assert.EndsWith("+00:00\"}", text);
        Assert.DoesNotContain(".tmp", string.Join(",", Directory.GetFiles(Path.GetDirectoryName(LabelFile)!)));
    }

    [Fact]
    public async Task PerKeyPathsSetAndDeleteOnlyTheirKeys()
    {
        await _store.UpdateAsync(Blob, L("a", "1", "b", "2", "c", "3", "untouched", "u"));
        var result = await _store.UpdateAsync(
            Blob,
            L("a", "10", "c", "", "new", "n", "x.y", "dotted", "notlisted", "ignored"),
            ["labels.a", "labels.b", "labels.c", "labels.new", "labels.x.y"]);

        Assert.Equal("a=10;new=n;untouched=u;x.y=dotted", Show(result.Labels));
        Assert.Equal("a=10;new=n;untouched=u;x.y=dotted", Show((await _store.GetAsync(Blob)).Labels));
    }

    [Fact]
    public async Task PathsApplyInOrder()
    {
        var result = await _store.UpdateAsync(Blob, L("a", "1", "b", "2"), ["labels.a", "labels", "labels.b"]);
        Assert.Equal("a=1;b=2", Show(result.Labels));
        result = await _store.UpdateAsync(Blob, L("a", "1"), ["labels.b", "labels"]);
        Assert.Equal("a=1", Show(result.Labels));
    }

    [Theory]
    [InlineData("digest")]
    [InlineData("size")]
    [InlineData("labels.")]
    [InlineData("Labels.a")]
    [InlineData("labelsx")]
    [InlineData(" labels")]
    public async Task OtherFieldPathsAreInvalidAndChangeNothing(string path)
    {
        await _store.UpdateAsync(Blob, L("a", "1"));
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => _store.UpdateAsync(Blob, L("a", "2"), ["labels.a", path]));
        Assert.Equal(ErrorIds.InvalidFieldPath, ex.ErrorId);
        Assert.Equal(path, ex.Target);
        Assert.Equal("a=1", Show((await _store.GetAsync(Blob)).Labels));
    }

    [Fact]
    public async Task AKeyAndValueOfUpTo4096BytesAreAccepted()
    {
        var key = "k";
        var value = new string('v', 4095);
        var result = await _store.UpdateAsync(Blob, L(key, value));
        Assert.Equal(value, result.Labels[key]);
        Assert.Equal(value, (await _store.GetAsync(Blob)).Labels[key]);

        // "é" is two bytes in UTF-8: 1 + 2 * 2047 + 1 = 4096.
        var multibyte = new string('é', 2047) + "x";
        Assert.Equal(multibyte, (await _store.UpdateAsync(Blob, L("k", multibyte), ["labels.k"])).Labels["k"]);
    }

    [Theory]
    [InlineData(1, 4096)]
    [InlineData(4097, 0)]
    [InlineData(100, 10_000)]
    public async Task LargerLabelsAreInvalidAndChangeNothing(int keyLength, int valueLength)
    {
        await _store.UpdateAsync(Blob, L("a", "1"));
        var key = new string('k', keyLength);
        var labels = L(key, valueLength == 0 ? "" : new string('v', valueLength));
        // An empty value deletes, so an oversized key is tested with a one-byte value too.
        if (valueLength == 0) labels[key] = "v";
        foreach (IReadOnlyList<string>? paths in new[] { null, new[] { "labels." + key } })
        {
            var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => _store.UpdateAsync(Blob, labels, paths));
            Assert.Equal(ErrorIds.InvalidLabel, ex.ErrorId);
            Assert.Equal(key, ex.Target);
            Assert.StartsWith("label key and value greater than maximum size (4096 bytes): key \"", ex.Message);
        }
        Assert.Equal("a=1", Show((await _store.GetAsync(Blob)).Labels));
    }

    [Fact]
    public async Task MultibyteCharactersCountAsBytes()
    {
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => _store.UpdateAsync(Blob, L("k", new string('é', 2048))));
        Assert.Equal("label key and value greater than maximum size (4096 bytes): key \"k\" and its value hold 4097 bytes", ex.Message);
    }

    [Fact]
    public async Task AnEmptyKeyIsInvalid()
    {
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => _store.UpdateAsync(Blob, L("", "v")));
        Assert.Equal(ErrorIds.InvalidLabel, ex.ErrorId);
        Assert.False(File.Exists(LabelFile));
    }

    [Fact]
    public async Task Sha512BlobsHaveTheirOwnFolder()
    {
        var sha512 = Digest.FromBytes("blob"u8, Digest.Sha512);
        await _store.UpdateAsync(sha512, L("a", "512"));
        Assert.True(File.Exists(Path.Combine(_root.Path, "contentps", "labels", "sha512", sha512.Encoded + ".json")));
        Assert.Equal(_store.PathOf(sha512), Path.Combine(_root.Path, "contentps", "labels", "sha512", sha512.Encoded + ".json"));
        Assert.Empty((await _store.GetAsync(Blob)).Labels);
    }

    [Fact]
    public async Task ADigestThatCannotBeStoredNeverBecomesAPath()
    {
        var blake3 = Digest.Parse("blake3:" + new string('a', 64));
        var ex = await Assert.ThrowsAsync<UnimplementedException>(() => _store.UpdateAsync(blake3, L("a", "1")));
        Assert.Equal(ErrorIds.UnsupportedDigestAlgorithm, ex.ErrorId);
        await Assert.ThrowsAsync<UnimplementedException>(() => _store.GetAsync(blake3));
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "contentps")));
    }

    [Fact]
    public async Task RemoveForgetsTheLabelsAndIgnoresAbsentOnes()
    {
        await _store.UpdateAsync(Blob, L("a", "1"));
        await _store.RemoveAsync(Blob);
        Assert.False(File.Exists(LabelFile));
        Assert.Equal(LabelSet.Empty.Labels, (await _store.GetAsync(Blob)).Labels);
        Assert.Null((await _store.GetAsync(Blob)).UpdatedAt);
        await _store.RemoveAsync(Blob);
        await _store.RemoveAsync(Digest.FromBytes("never"u8));
    }

    [Theory]
    [InlineData("{\"labels\":{\"a\":")]
    [InlineData("[]")]
    [InlineData("{\"labels\":{\"a\":1}}")]
    [InlineData("{\"labels\":[]}")]
    [InlineData("{\"labels\":{},\"updatedAt\":\"yesterday\"}")]
    [InlineData("")]
    public async Task ACorruptFileIsDataLoss(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LabelFile)!);
        await File.WriteAllTextAsync(LabelFile, content);
        var ex = await Assert.ThrowsAsync<DataLossException>(() => _store.GetAsync(Blob));
        Assert.Equal(ErrorIds.CorruptMetadata, ex.ErrorId);
        Assert.Equal(LabelFile, ex.Target);
        Assert.StartsWith($"the label file {LabelFile} is corrupt: ", ex.Message);
    }

    [Fact]
    public async Task UnknownFieldsInTheFileAreTolerated()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LabelFile)!);
        await File.WriteAllTextAsync(LabelFile, "{\"labels\":{\"a\":\"1\"},\"future\":true}");
        var set = await _store.GetAsync(Blob);
        Assert.Equal("a=1", Show(set.Labels));
        Assert.Null(set.UpdatedAt);
    }

    [Fact]
    public async Task ConcurrentUpdatesOfManyBlobsLoseNothingAndShareSixteenLockFiles()
    {
        var blobs = Enumerable.Range(0, 48).Select(i => Digest.FromBytes(Encoding.UTF8.GetBytes($"blob {i}"))).ToList();
        var updates = blobs.SelectMany(blob => Enumerable.Range(0, 4).Select(k => (blob, k)))
            .Select(u => Task.Run(() => _store.UpdateAsync(u.blob, L($"k{u.k}", "v"), [$"labels.k{u.k}"])));
        await Task.WhenAll(updates).WaitAsync(TimeSpan.FromMinutes(2));

        foreach (var blob in blobs)
        {
            Assert.Equal("k0=v;k1=v;k2=v;k3=v", Show((await _store.GetAsync(blob)).Labels));
        }
        var folder = Path.GetDirectoryName(LabelFile)!;
        Assert.Equal(blobs.Count, Directory.EnumerateFiles(folder).Count());
        Assert.All(Directory.EnumerateFiles(folder), path => Assert.EndsWith(".json", path));
        var locks = Directory.EnumerateFiles(Path.Combine(folder, "locks")).Select(Path.GetFileName).ToList();
        Assert.InRange(locks.Count, 1, 16);
        Assert.All(locks, name => Assert.Matches("^[0-9a-f]\\.lock$", name!));
    }

    [Fact]
    public async Task AnUpdateWaitsForTheLockFileOfItsStripe()
    {
        await _store.UpdateAsync(Blob, L("a", "1"));
        var lockPath = _store.LockPathOf(Blob);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(LabelFile)!, "locks", Blob.Encoded[..1] + ".lock"), lockPath);
        var held = FileLock.TryAcquire(lockPath)!;
        Assert.NotNull(held);
        var update = _store.UpdateAsync(Blob, L("b", "2"), ["labels.b"]);
        await Task.Delay(300);
        Assert.False(update.IsCompleted);
        // Readers take no lock.
        Assert.Equal("a=1", Show((await _store.GetAsync(Blob)).Labels));
        held.Dispose();
        Assert.Equal("a=1;b=2", Show((await update.WaitAsync(TimeSpan.FromSeconds(10))).Labels));
    }
}
