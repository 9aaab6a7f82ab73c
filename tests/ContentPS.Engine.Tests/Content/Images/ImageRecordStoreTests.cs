using System.Text.Json.Nodes;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;

namespace ContentPS.Engine.Tests.Content.Images;

public sealed class ImageRecordStoreTests : IDisposable
{
    private static readonly Descriptor Manifest1 = Descriptor.FromContent(MediaTypes.OciManifest, "manifest one"u8);
    private static readonly Descriptor Manifest2 = Descriptor.FromContent(MediaTypes.OciManifest, "manifest two"u8);
    private static readonly Descriptor Index1 = Descriptor.FromContent(MediaTypes.OciIndex, "index one"u8);

    private readonly TempDirectory _root = new();
    private readonly ImageRecordStore _store;

    public ImageRecordStoreTests() => _store = new ImageRecordStore(_root.Path);

    public void Dispose() => _root.Dispose();

    private string IndexPath => Path.Combine(_root.Path, "index.json");

    private static string Entry(Descriptor d, string name) =>
        $"{{\"mediaType\":\"{d.MediaType}\",\"digest\":\"{d.Digest}\",\"size\":{d.Size},\"annotations\":{{\"org.opencontainers.image.ref.name\":\"{name}\"}}}}";

    private static string Names(IEnumerable<ImageRecord> records) => string.Join(" ", records.Select(r => r.Name));

    [Fact]
    public async Task AStoreWithoutAnIndexHasNoRecords()
    {
        Assert.Empty(await _store.ListAsync());
        var ex = await Assert.ThrowsAsync<NotFoundException>(() => _store.GetAsync("latest"));
        Assert.Equal(ErrorIds.ImageNotFound, ex.ErrorId);
        Assert.Equal("latest", ex.Target);
        Assert.Equal("image \"latest\" not found", ex.Message);
        Assert.False(File.Exists(IndexPath));
    }

    [Fact]
    public async Task CreateWritesAnOciIndexAndTheLayoutFile()
    {
        var record = await _store.CreateAsync("docker.io/library/app:v1", Manifest1);

        Assert.Equal("docker.io/library/app:v1", record.Name);
        Assert.Equal(Manifest1.Digest, record.Target.Digest);
        Assert.Equal("docker.io/library/app:v1", record.Target.Annotations![AnnotationKeys.RefName]);
        Assert.Equal(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[" + Entry(Manifest1, "docker.io/library/app:v1") + "]}",
            await File.ReadAllTextAsync(IndexPath));
        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", await File.ReadAllTextAsync(Path.Combine(_root.Path, "oci-layout")));
        Assert.True(File.Exists(Path.Combine(_root.Path, "contentps", "index.lock")));

        var read = await new ImageRecordStore(_root.Path).GetAsync("docker.io/library/app:v1");
        Assert.Equal(Manifest1.Digest, read.Target.Digest);
        Assert.Equal(Manifest1.Size, read.Target.Size);
        Assert.Equal(MediaTypes.OciManifest, read.Target.MediaType);
    }

    [Fact]
    public async Task CreateIsIdempotentForTheSameTargetAndRefusesAnother()
    {
        await _store.CreateAsync("v1", Manifest1);
        var before = await File.ReadAllBytesAsync(IndexPath);
        var again = await _store.CreateAsync("v1", Manifest1);
        Assert.Equal(Manifest1.Digest, again.Target.Digest);
        Assert.Equal(before, await File.ReadAllBytesAsync(IndexPath));

        var ex = await Assert.ThrowsAsync<AlreadyExistsException>(() => _store.CreateAsync("v1", Manifest2));
        Assert.Equal(ErrorIds.ImageExists, ex.ErrorId);
        Assert.Equal("v1", ex.Target);
        Assert.Equal($"image \"v1\" already exists with target {Manifest1.Digest} ({MediaTypes.OciManifest})", ex.Message);
        Assert.Equal(before, await File.ReadAllBytesAsync(IndexPath));
    }

    [Fact]
    public async Task SetCreatesOrReplacesInPlace()
    {
        await _store.SetAsync("a", Manifest1);
        await _store.SetAsync("b", Manifest1);
        await _store.SetAsync("c", Manifest1);
        var replaced = await _store.SetAsync("b", Index1);

        Assert.Equal(Index1.Digest, replaced.Target.Digest);
        var records = await _store.ListAsync();
        Assert.Equal("a b c", Names(records));
        Assert.Equal(Index1.Digest, records[1].Target.Digest);
        Assert.Equal(MediaTypes.OciIndex, records[1].Target.MediaType);
    }

    [Fact]
    public async Task DeleteRemovesTheRecordAndRefusesAnAbsentOne()
    {
        await _store.SetAsync("a", Manifest1);
        await _store.SetAsync("b", Manifest2);
        await _store.DeleteAsync("a");
        Assert.Equal("b", Names(await _store.ListAsync()));
        var ex = await Assert.ThrowsAsync<NotFoundException>(() => _store.DeleteAsync("a"));
        Assert.Equal(ErrorIds.ImageNotFound, ex.ErrorId);
        Assert.Equal("a", ex.Target);
        await _store.DeleteAsync("b");
        Assert.Equal("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}", await File.ReadAllTextAsync(IndexPath));
    }

    [Fact]
    public async Task TheTargetsAnnotationsArKeptAndItsRefNameIsTheRecordsName()
    {
        var annotated = new Descriptor
        {
            MediaType = Manifest1.MediaType,
            Digest = Manifest1.Digest,
            Size = Manifest1.Size,
            Annotations = new Dictionary<string, string> { ["org.example/team"] = "blue", [AnnotationKeys.RefName] = "other" },
            Platform = new Platform { OS = "linux", Architecture = "arm64", Variant = "v8" },
        };
        await _store.SetAsync("v1", annotated);
        var record = await _store.GetAsync("v1");
        Assert.Equal("blue", record.Target.Annotations!["org.example/team"]);
        Assert.Equal("v1", record.Target.Annotations![AnnotationKeys.RefName]);
        Assert.Equal("arm64", record.Target.Platform!.Architecture);
        Assert.Empty(await _store.ListAsync(["name==other"]));
    }

    [Fact]
    public async Task EverythingElseInTheIndexIsKept()
    {
        const string original = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.index.v1+json",
              "annotations": { "org.example/index": "keep me" },
              "x-unknown": { "nested": [1, 2, { "deep": true }] },
              "manifests": [
                { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111", "size": 7,
                  "platform": { "architecture": "amd64", "os": "linux" }, "annotations": { "org.example/x": "y" }, "x-field": 42 },
                { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:2222222222222222222222222222222222222222222222222222222222222222", "size": 9,
                  "annotations": { "org.opencontainers.image.ref.name": "old", "io.containerd.image.name": "docker.io/library/old:1" }, "x-field": "kept" },
                { "not": "a descriptor", "annotations": { "org.opencontainers.image.ref.name": "broken" } },
                "not even an object"
              ]
            }
            """;
        await File.WriteAllTextAsync(IndexPath, original);
        var before = JsonNode.Parse(original)!;

        await _store.CreateAsync("new", Manifest1);
        await _store.SetAsync("new", Manifest2);
        Assert.Equal("old new", Names(await _store.ListAsync()));

        var after = JsonNode.Parse(await File.ReadAllTextAsync(IndexPath))!;
        Assert.True(JsonNode.DeepEquals(before["annotations"], after["annotations"]));
        Assert.True(JsonNode.DeepEquals(before["x-unknown"], after["x-unknown"]));
        Assert.Equal(2, (int)after["schemaVersion"]!);
        var manifests = after["manifests"]!.AsArray();
        Assert.Equal(5, manifests.Count);
        for (var i = 0; i < 4; i++) Assert.True(JsonNode.DeepEquals(before["manifests"]![i], manifests[i]), $"entry {i} changed");
        Assert.Equal(Manifest2.Digest.ToString(), (string)manifests[4]!["digest"]!);

        // Deleting a name removes only its entries, the unreadable one included.
        await _store.DeleteAsync("broken");
        await _store.DeleteAsync("old");
        var final = JsonNode.Parse(await File.ReadAllTextAsync(IndexPath))!["manifests"]!.AsArray();
        Assert.Equal(3, final.Count);
        Assert.True(JsonNode.DeepEquals(before["manifests"]![0], final[0]));
        Assert.True(JsonNode.DeepEquals(before["manifests"]![3], final[1]));
    }

    [Fact]
    public async Task TheFirstOfDuplicateNamesWinsAndSetCollapsesThem()
    {
        await File.WriteAllTextAsync(IndexPath,
            "{\"schemaVersion\":2,\"manifests\":[" + Entry(Manifest1, "dup") + "," + Entry(Index1, "x") + "," + Entry(Manifest2, "dup") + "]}");
        Assert.Equal(Manifest1.Digest, (await _store.GetAsync("dup")).Target.Digest);
        await _store.SetAsync("dup", Index1);
        Assert.Equal("dup x", Names(await _store.ListAsync()));
        Assert.Equal(Index1.Digest, (await _store.GetAsync("dup")).Target.Digest);
        // An index written by another tool keeps its shape: no mediaType is added.
        Assert.Null(JsonNode.Parse(await File.ReadAllTextAsync(IndexPath))!["mediaType"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" latest")]
    [InlineData("latest ")]
    [InlineData("a//b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a..b")]
    [InlineData("a---b")]
    [InlineData("-a")]
    [InlineData("a:")]
    [InlineData("Ünïcode")]
    [InlineData("a\nb")]
    [InlineData("latest\n")]
    [InlineData("../../etc")]
    public async Task InvalidNamesAreRefused(string name)
    {
        foreach (var action in new Func<Task>[]
        {
            () => _store.CreateAsync(name, Manifest1),
            () => _store.SetAsync(name, Manifest1),
            () => _store.GetAsync(name),
            () => _store.DeleteAsync(name),
        })
        {
            var ex = await Assert.ThrowsAsync<InvalidArgumentException>(action);
            Assert.Equal(ErrorIds.InvalidImageName, ex.ErrorId);
            Assert.Equal(name, ex.Target);
        }
        Assert.False(File.Exists(IndexPath));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("v1.0.0-rc.1+build.5")]
    [InlineData("docker.io/library/alpine:3.19")]
    [InlineData("localhost:5000/a/b--c/d_e:tag")]
    [InlineData("app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("A")]
    public async Task ValidNamesAreAccepted(string name)
    {
        await _store.CreateAsync(name, Manifest1);
        Assert.Equal(name, (await _store.GetAsync(name)).Name);
    }

    [Fact]
    public void NameMessagesSayWhatIsWrong()
    {
        Assert.Equal("invalid image name \"\": it is empty", Assert.Throws<InvalidArgumentException>(() => ImageName.Validate("")).Message);
        Assert.Equal("invalid image name null: it is empty", Assert.Throws<InvalidArgumentException>(() => ImageName.Validate(null)).Message);
        Assert.Equal(
            "invalid image name \"a//b\": use letters and digits, separated by one of - . _ : @ + or --, in components joined by /",
            Assert.Throws<InvalidArgumentException>(() => ImageName.Validate("a//b")).Message);
        Assert.Equal($"invalid image name \"{new string('a', 200)}…\": it is longer than 1024 characters",
            Assert.Throws<InvalidArgumentException>(() => ImageName.Validate(new string('a', 1025))).Message);
        ImageName.Validate(new string('a', 1024));
    }

    [Fact]
    public async Task AnInvalidTargetIsRefused()
    {
        var negative = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Manifest1.Digest, Size = -1 };
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => _store.SetAsync("v1", negative));
        Assert.Equal(ErrorIds.InvalidDescriptor, ex.ErrorId);
        Assert.False(File.Exists(IndexPath));
    }

    [Fact]
    public async Task ListFilters()
    {
        var annotated = new Descriptor
        {
            MediaType = Index1.MediaType,
            Digest = Index1.Digest,
            Size = Index1.Size,
            Annotations = new Dictionary<string, string> { ["org.example.team"] = "blue" },
        };
        await _store.SetAsync("docker.io/library/app:1", Manifest1);
        await _store.SetAsync("docker.io/library/app:2", Manifest2);
        await _store.SetAsync("ghcr.io/org/tool:1", annotated);

        Assert.Equal("docker.io/library/app:1 docker.io/library/app:2 ghcr.io/org/tool:1", Names(await _store.ListAsync()));
        Assert.Equal("docker.io/library/app:1 docker.io/library/app:2 ghcr.io/org/tool:1", Names(await _store.ListAsync([])));
        Assert.Equal("docker.io/library/app:2", Names(await _store.ListAsync(["name==docker.io/library/app:2"])));
        Assert.Equal("docker.io/library/app:1 ghcr.io/org/tool:1", Names(await _store.ListAsync(["name~=:1$"])));
        Assert.Equal("docker.io/library/app:1", Names(await _store.ListAsync([$"target.digest=={Manifest1.Digest}"])));
        Assert.Equal("ghcr.io/org/tool:1", Names(await _store.ListAsync([$"target.mediaType=={MediaTypes.OciIndex}"])));
        Assert.Equal("ghcr.io/org/tool:1", Names(await _store.ListAsync([$"target.mediatype==\"{MediaTypes.OciIndex}\""])));
        Assert.Equal("ghcr.io/org/tool:1", Names(await _store.ListAsync([$"target.size=={Index1.Size}"])));
        Assert.Equal("docker.io/library/app:1 docker.io/library/app:2", Names(await _store.ListAsync([$"target.size=={Manifest1.Size}"])));
        Assert.Equal("ghcr.io/org/tool:1", Names(await _store.ListAsync(["annotations.\"org.example.team\"==blue"])));
        Assert.Equal("ghcr.io/org/tool:1", Names(await _store.ListAsync(["annotations.org.example.team"])));
        Assert.Equal("docker.io/library/app:2", Names(await _store.ListAsync(["annotations.\"org.opencontainers.image.ref.name\"==docker.io/library/app:2"])));
        Assert.Equal("docker.io/library/app:2 ghcr.io/org/tool:1", Names(await _store.ListAsync(["name==docker.io/library/app:2", "annotations.org.example.team"])));
        Assert.Equal("", Names(await _store.ListAsync(["name~=^docker,annotations.org.example.team"])));
        Assert.Equal("", Names(await _store.ListAsync(["target.artifactType"])));

        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => _store.ListAsync(["name=="]));
        Assert.Equal(ErrorIds.InvalidFilter, ex.ErrorId);
    }

    [Theory]
    [InlineData("{\"manifests\":[")]
    [InlineData("[]")]
    [InlineData("{\"manifests\":{}}")]
    [InlineData("{\"manifests\":[],}")]
    [InlineData("")]
    public async Task ACorruptIndexIsDataLossAndIsNotOverwritten(string content)
    {
        await File.WriteAllTextAsync(IndexPath, content);
        var ex = await Assert.ThrowsAsync<DataLossException>(() => _store.ListAsync());
        Assert.Equal(ErrorIds.CorruptMetadata, ex.ErrorId);
        Assert.Equal(IndexPath, ex.Target);
        Assert.StartsWith($"the image index {IndexPath} is corrupt: ", ex.Message);
        await Assert.ThrowsAsync<DataLossException>(() => _store.SetAsync("v1", Manifest1));
        Assert.Equal(content, await File.ReadAllTextAsync(IndexPath));
    }

    [Fact]
    public async Task AnIndexWithoutManifestsGetsThem()
    {
        await File.WriteAllTextAsync(IndexPath, "{\"schemaVersion\":2}");
        Assert.Empty(await _store.ListAsync());
        await _store.SetAsync("v1", Manifest1);
        Assert.Equal("{\"schemaVersion\":2,\"manifests\":[" + Entry(Manifest1, "v1") + "]}", await File.ReadAllTextAsync(IndexPath));
    }

    [Fact]
    public async Task AChangeWaitsForTheStoreLockAndReadersDoNot()
    {
        await _store.SetAsync("a", Manifest1);
        var held = FileLock.TryAcquire(_store.LockPath)!;
        Assert.NotNull(held);
        Assert.Equal(Path.Combine(_root.Path, "contentps", "index.lock"), _store.LockPath);
        var change = _store.SetAsync("b", Manifest2);
        await Task.Delay(300);
        Assert.False(change.IsCompleted);
        Assert.Equal("a", Names(await _store.ListAsync()));
        held.Dispose();
        await change.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("a b", Names(await _store.ListAsync()));
    }

    [Fact]
    public async Task CancellingAWaitingChangeLeavesTheIndexAlone()
    {
        await _store.SetAsync("a", Manifest1);
        using var held = FileLock.TryAcquire(_store.LockPath)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAsync<CanceledException>(() => _store.SetAsync("b", Manifest2, cts.Token));
        Assert.Equal("a", Names(await _store.ListAsync()));
    }
}
