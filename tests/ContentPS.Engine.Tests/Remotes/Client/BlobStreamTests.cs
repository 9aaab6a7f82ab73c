using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Client;

[Collection(RegistryCollection.Name)]
public sealed class BlobStreamTests(SharedRegistry shared) : IDisposable
{
    private readonly TestRegistryClient _client = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _client.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task ReadsTheWholeBlobInOneRequest()
    {
        var (pushed, layer) = await LayerAsync();

        await using var stream = await _client.Client.OpenBlobAsync(pushed.Reference, TestRegistryClient.DescriptorOf(layer));
        var bytes = await ReadAllAsync(stream);

        Assert.Equal(pushed.Bytes(layer), bytes);
        Assert.True(stream.CanSeek);
        Assert.Equal(layer.Size, stream.Length);
        Assert.Equal(layer.Size, stream.Position);
        var request = Assert.Single(_client.Requests);
        Assert.Equal(("GET", $"/v2/{pushed.Repository}/blobs/{layer.Digest}", null, 200), (request.Method, request.PathAndQuery, request.Range, request.Status));
    }

    [Fact]
    public async Task SeekingReopensWithAClosedRange()
    {
        var (pushed, layer) = await LayerAsync();
        var content = pushed.Bytes(layer);
        long offset = layer.Size / 3;

        await using var stream = await _client.Client.OpenBlobAsync(pushed.Reference, TestRegistryClient.DescriptorOf(layer));
        stream.Seek(offset, SeekOrigin.Begin);
        var rest = await ReadAllAsync(stream);
        stream.Position = 10;
        var first = new byte[5];
        await stream.ReadExactlyAsync(first);

        Assert.Equal(content[(int)offset..], rest);
        Assert.Equal(content[10..15], first);
        Assert.Equal(
            [null, $"bytes={offset}-{layer.Size - 1}", $"bytes=10-{layer.Size - 1}"],
            _client.Requests.Select(r => r.Range));
        Assert.All(_client.Requests.Skip(1), r => Assert.Equal(206, r.Status));
    }

    [Fact]
    public async Task SeekingToTheEndReadsNothingAndAsksNothing()
    {
        var (pushed, layer) = await LayerAsync();

        await using var stream = await _client.Client.OpenBlobAsync(pushed.Reference, TestRegistryClient.DescriptorOf(layer));
        stream.Seek(0, SeekOrigin.End);

        Assert.Equal(0, await stream.ReadAsync(new byte[16]));
        Assert.Single(_client.Requests);
    }

    [Fact]
    public async Task SeekingOutsideTheBlobIsOutOfRange()
    {
        var (pushed, layer) = await LayerAsync();

        await using var stream = await _client.Client.OpenBlobAsync(pushed.Reference, TestRegistryClient.DescriptorOf(layer));

        Assert.Throws<OutOfRangeException>(() => stream.Seek(layer.Size + 1, SeekOrigin.Begin));
        Assert.Throws<OutOfRangeException>(() => stream.Seek(-1, SeekOrigin.Begin));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public async Task AMissingBlobFailsAtOpenWithBlobNotFound()
    {
        var (pushed, _) = await LayerAsync();
        var missing = Descriptor.FromContent(MediaTypes.OciLayerGzip, "missing"u8);

        var error = await Assert.ThrowsAsync<NotFoundException>(() => _client.Client.OpenBlobAsync(pushed.Reference, missing));

        Assert.Equal(ErrorIds.BlobNotFound, error.ErrorId);
        Assert.Equal($"{pushed.Reference.FullName}@{missing.Digest}", error.Target);
    }

    [Fact]
    public async Task ALengthOtherThanTheDescriptorsIsSizeMismatchAtOpen()
    {
        var (pushed, layer) = await LayerAsync();
        var shorter = new Descriptor { MediaType = layer.MediaType, Digest = Digest.Parse(layer.Digest), Size = layer.Size - 1 };

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => _client.Client.OpenBlobAsync(pushed.Reference, shorter));

        Assert.Equal(ErrorIds.SizeMismatch, error.ErrorId);
    }

    [Fact]
    public async Task ForeignUrlsAreNotUsedUnlessAllowed()
    {
        var (pushed, layer) = await LayerAsync();
        var registry = await shared.GetAsync();
        var foreign = new Descriptor
        {
            MediaType = MediaTypes.OciLayerNonDistributableGzip,
            Digest = Digest.Parse(layer.Digest),
            Size = layer.Size,
            Urls = [$"http://{registry.Host}/v2/{pushed.Repository}/blobs/{layer.Digest}?foreign=1"],
        };

        await using (var stream = await _client.Client.OpenBlobAsync(pushed.Reference, foreign))
        {
            Assert.Equal(pushed.Bytes(layer), await ReadAllAsync(stream));
        }

        using var allowing = new TestRegistryClient(o => new() { AllowForeignUrls = true, Log = o.Log, HostsDirectory = o.HostsDirectory, MaximumRetryCount = 0 });
        await using (var stream = await allowing.Client.OpenBlobAsync(pushed.Reference, foreign))
        {
            Assert.Equal(pushed.Bytes(layer), await ReadAllAsync(stream));
        }

        Assert.DoesNotContain(_client.Requests, r => r.Url.Query.Contains("foreign"));
        Assert.Equal("?foreign=1", Assert.Single(allowing.Requests).Url.Query);
    }

    [Fact]
    public async Task AnIngestResumesFromTheRemoteStreamWithARangeRequest()
    {
        var (pushed, layer) = await LayerAsync();
        var content = pushed.Bytes(layer);
        var descriptor = TestRegistryClient.DescriptorOf(layer);
        var store = new LocalContentStore(_temp.Path, new FileLabelStore(_temp.Path));
        long partial = layer.Size / 2;
        await using (var writer = await store.OpenWriterAsync("resume-test", descriptor.Size, descriptor.Digest))
        {
            await writer.WriteAsync(content.AsMemory(0, (int)partial));
        }

        await using (var remote = await _client.Client.OpenBlobAsync(pushed.Reference, descriptor))
        {
            Assert.True(await ContentHelpers.WriteBlobAsync(store, "resume-test", remote, descriptor));
        }

        var info = await store.InfoAsync(descriptor.Digest);
        Assert.Equal(layer.Size, info.Size);
        await using var reader = await store.OpenReaderAsync(descriptor.Digest);
        var stored = new byte[layer.Size];
        Assert.Equal((int)layer.Size, await reader.ReadAtAsync(stored, 0));
        Assert.Equal(content, stored);
        Assert.Equal($"bytes={partial}-{layer.Size - 1}", _client.Requests[^1].Range);
        Assert.Equal(206, _client.Requests[^1].Status);
    }

    private async Task<(PushedLayout Pushed, LayoutBlob Layer)> LayerAsync()
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, LayoutScenario.Layers);
        return (pushed, pushed.Layout.OfKind(BlobKind.Layer).First());
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
