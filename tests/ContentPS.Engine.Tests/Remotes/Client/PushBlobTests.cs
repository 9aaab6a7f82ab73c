using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;

namespace ContentPS.Engine.Tests.Remotes.Client;

[Collection(RegistryCollection.Name)]
public sealed class PushBlobTests(SharedRegistry shared) : IDisposable
{
    private readonly TestRegistryClient _client = new();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task UploadsANewBlobWithOnePut()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "push");
        var (content, descriptor) = Blob(100_000, seed: 1);
        var source = new CountingSource(content);

        var result = await _client.Client.PushBlobAsync(repository, descriptor, source.OpenAsync);

        Assert.Equal(BlobPushOutcome.Uploaded, result.Outcome);
        Assert.Same(descriptor, result.Descriptor);
        Assert.Equal(1, source.Opened);
        Assert.Equal(["HEAD 404", "POST 202", "PUT 201"], _client.Requests.Select(r => $"{r.Method} {r.Status}"));
        Assert.Contains($"digest={Uri.EscapeDataString(descriptor.Digest.ToString())}", _client.Requests[^1].Url.Query);
        Assert.Equal(content, await ReadBackAsync(repository, descriptor));
    }

    [Fact]
    public async Task ABlobThatExistsIsNotSentAgain()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "exists");
        var (content, descriptor) = Blob(5_000, seed: 2);
        await _client.Client.PushBlobAsync(repository, descriptor, new CountingSource(content).OpenAsync);
        _client.Transport.Clear();
        var again = new CountingSource(content);

        var result = await _client.Client.PushBlobAsync(repository, descriptor, again.OpenAsync);

        Assert.Equal(BlobPushOutcome.Existed, result.Outcome);
        Assert.Equal(0, again.Opened);
        Assert.Equal("HEAD 200", $"{Assert.Single(_client.Requests).Method} {_client.Requests[0].Status}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MountsFromAnotherRepositoryOfTheSameRegistry(bool fullName)
    {
        var registry = await shared.GetAsync();
        var source = TestRegistryClient.NewRepository(registry.Host, "mount-source");
        var target = TestRegistryClient.NewRepository(registry.Host, "mount-target");
        var (content, descriptor) = Blob(8_000, seed: 3);
        await _client.Client.PushBlobAsync(source, descriptor, new CountingSource(content).OpenAsync);
        _client.Transport.Clear();
        var unused = new CountingSource(content);

        var result = await _client.Client.PushBlobAsync(target, descriptor, unused.OpenAsync,
            ["elsewhere.example/team/app", fullName ? source.FullName : source.Path]);

        Assert.Equal((BlobPushOutcome.Mounted, source.Path), (result.Outcome, result.MountedFrom));
        Assert.Equal(0, unused.Opened);
        Assert.Equal(["HEAD 404", "POST 201"], _client.Requests.Select(r => $"{r.Method} {r.Status}"));
        Assert.Contains($"from={Uri.EscapeDataString(source.Path)}", _client.Requests[1].Url.Query);
        Assert.Equal($"repository:{source.Path}:pull repository:{target.Path}:pull,push", _client.Requests[1].Scope);
        Assert.Equal($"repository:{target.Path}:pull,push", _client.Requests[0].Scope);
        Assert.Equal(content, await ReadBackAsync(target, descriptor));
    }

    [Fact]
    public async Task AMountTheRegistryCannotDoUploadsThroughTheSessionItOpened()
    {
        var registry = await shared.GetAsync();
        var empty = TestRegistryClient.NewRepository(registry.Host, "mount-empty");
        var target = TestRegistryClient.NewRepository(registry.Host, "mount-fallback");
        var (content, descriptor) = Blob(8_000, seed: 4);

        var result = await _client.Client.PushBlobAsync(target, descriptor, new CountingSource(content).OpenAsync, [empty.Path]);

        Assert.Equal(BlobPushOutcome.Uploaded, result.Outcome);
        Assert.Equal(["HEAD 404", "POST 202", "PUT 201"], _client.Requests.Select(r => $"{r.Method} {r.Status}"));
        Assert.Contains("mount=", _client.Requests[1].Url.Query);
        Assert.Equal(content, await ReadBackAsync(target, descriptor));
    }

    [Fact]
    public async Task UploadsInChunksWhenTheBlobReachesTheChunkSize()
    {
        var registry = await shared.GetAsync();
        using var chunked = new TestRegistryClient(o => new() { ChunkSize = 40_000, Log = o.Log, HostsDirectory = o.HostsDirectory, MaximumRetryCount = 0 });
        var repository = TestRegistryClient.NewRepository(registry.Host, "chunked");
        var (content, descriptor) = Blob(100_000, seed: 5);
        var (small, smallDescriptor) = Blob(39_999, seed: 6);

        var result = await chunked.Client.PushBlobAsync(repository, descriptor, new CountingSource(content).OpenAsync);
        var smallResult = await chunked.Client.PushBlobAsync(repository, smallDescriptor, new CountingSource(small).OpenAsync);

        Assert.Equal((BlobPushOutcome.Uploaded, BlobPushOutcome.Uploaded), (result.Outcome, smallResult.Outcome));
        Assert.Equal(["HEAD 404", "POST 202", "PATCH 202", "PATCH 202", "PATCH 202", "PUT 201", "HEAD 404", "POST 202", "PUT 201"],
            chunked.Requests.Select(r => $"{r.Method} {r.Status}"));
        Assert.Equal(content, await ReadBackAsync(repository, descriptor));
        Assert.Equal(small, await ReadBackAsync(repository, smallDescriptor));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(+1)]
    public async Task ContentOfAnotherSizeFailsAndCancelsTheSession(int difference)
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "wrong-size");
        var (content, descriptor) = Blob(10_000, seed: 7);
        byte[] served = difference < 0 ? content[..^1] : [.. content, 1];

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() =>
            _client.Client.PushBlobAsync(repository, descriptor, new CountingSource(served).OpenAsync));

        Assert.Equal(ErrorIds.SizeMismatch, error.ErrorId);
        Assert.Equal("DELETE", _client.Requests[^1].Method);
        Assert.Contains("/blobs/uploads/", _client.Requests[^1].Url.AbsolutePath);
        Assert.Null(await _client.Client.TryGetBlobAsync(repository, descriptor.Digest));
    }

    [Fact]
    public async Task ContentWithAnotherDigestIsRefusedByTheRegistryAndTheSessionCancelled()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "wrong-digest");
        var (content, descriptor) = Blob(10_000, seed: 8);
        var other = content.ToArray();
        other[0] ^= 0xff;

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            _client.Client.PushBlobAsync(repository, descriptor, new CountingSource(other).OpenAsync));

        Assert.Contains("DIGEST_INVALID", error.Message);
        Assert.Equal(["HEAD 404", "POST 202", "PUT 400"], _client.Requests.Take(3).Select(r => $"{r.Method} {r.Status}"));
        Assert.Equal("DELETE", _client.Requests[^1].Method);
        Assert.Null(await _client.Client.TryGetBlobAsync(repository, descriptor.Digest));
    }

    [Fact]
    public async Task AFailingSourceFailsThePushWithItsOwnError()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "failing-source");
        var (_, descriptor) = Blob(1_000, seed: 9);

        var error = await Assert.ThrowsAsync<PermissionDeniedException>(() => _client.Client.PushBlobAsync(repository, descriptor,
            _ => throw new PermissionDeniedException("the source cannot be read", ErrorIds.StoreAccessDenied)));

        Assert.Equal(ErrorIds.StoreAccessDenied, error.ErrorId);
        Assert.Equal("DELETE", _client.Requests[^1].Method);
    }

    [Fact]
    public async Task TryGetBlobGivesTheSizeOrNull()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "tryget");
        var (content, descriptor) = Blob(1_234, seed: 10);
        await _client.Client.PushBlobAsync(repository, descriptor, new CountingSource(content).OpenAsync);

        var found = await _client.Client.TryGetBlobAsync(repository, descriptor.Digest);
        var missing = await _client.Client.TryGetBlobAsync(repository, Digest.FromBytes("missing"u8));

        Assert.Equal((descriptor.Digest, 1_234L), (found!.Digest, found.Size));
        Assert.Null(missing);
    }

    internal static (byte[] Content, Descriptor Descriptor) Blob(int size, int seed)
    {
        var content = new byte[size];
        new Random(seed * 7919 + Environment.ProcessId).NextBytes(content);
        return (content, Descriptor.FromContent("application/octet-stream", content));
    }

    private async Task<byte[]> ReadBackAsync(ImageReference repository, Descriptor descriptor)
    {
        await using var stream = await _client.Client.OpenBlobAsync(repository, descriptor);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Content to push, counting how often the client opened it.</summary>
    internal sealed class CountingSource(byte[] content)
    {
        private int _opened;

        public int Opened => _opened;

        public Task<Stream> OpenAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _opened);
            return Task.FromResult<Stream>(new MemoryStream(content, writable: false));
        }
    }
}
