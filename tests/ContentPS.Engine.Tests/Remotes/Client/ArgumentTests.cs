using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Remotes.Client;

/// <summary>Bad arguments fail before any request is made.</summary>
public sealed class ArgumentTests : IDisposable
{
    private static readonly ImageReference Repository = ImageReference.Parse("127.0.0.1:1/team/app");
    private static readonly Descriptor Blob = Descriptor.FromContent("application/octet-stream", "blob"u8);

    private readonly TestRegistryClient _client = new();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task AReferenceWithoutRegistryIsInvalid()
    {
        // distribution leaves the domain empty for a name whose first element is not a valid host.
        var noDomain = ImageReference.Parse("a_b.c/app");
        Assert.Equal(string.Empty, noDomain.Domain);

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => _client.Client.ResolveAsync(noDomain));

        Assert.Equal(ErrorIds.InvalidReference, error.ErrorId);
        Assert.Empty(_client.Requests);
    }

    [Fact]
    public async Task ANegativeSizeIsAnInvalidDescriptor()
    {
        var negative = new Descriptor { MediaType = Blob.MediaType, Digest = Blob.Digest, Size = -1 };

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => _client.Client.OpenBlobAsync(Repository, negative));

        Assert.Equal(ErrorIds.InvalidDescriptor, error.ErrorId);
        Assert.Empty(_client.Requests);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task AChunkSizeBelowOneIsInvalid(long chunkSize)
    {
        using var client = new TestRegistryClient(o => new() { ChunkSize = chunkSize, Log = o.Log, HostsDirectory = o.HostsDirectory });

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            client.Client.PushBlobAsync(Repository, Blob, _ => Task.FromResult<Stream>(new MemoryStream("blob"u8.ToArray()))));

        Assert.Equal(ErrorIds.InvalidSize, error.ErrorId);
        Assert.Empty(client.Requests);
    }

    [Fact]
    public async Task AnInvalidTagIsRefused()
    {
        var manifest = Descriptor.FromContent(MediaTypes.OciManifest, "{}"u8);

        var push = await Assert.ThrowsAsync<InvalidArgumentException>(() => _client.Client.PushManifestAsync(Repository, manifest, "{}"u8.ToArray(), "no/slash"));
        var delete = await Assert.ThrowsAsync<InvalidArgumentException>(() => _client.Client.DeleteTagAsync(Repository, ".dot"));

        Assert.Equal((ErrorIds.InvalidTag, ErrorIds.InvalidTag), (push.ErrorId, delete.ErrorId));
        Assert.Empty(_client.Requests);
    }

    [Fact]
    public async Task NullArgumentsThrowArgumentNullException()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => _client.Client.ResolveAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _client.Client.FetchManifestAsync(Repository, null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _client.Client.PushBlobAsync(Repository, Blob, null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _client.Client.TryGetBlobAsync(Repository, null!));
        Assert.Throws<ArgumentNullException>(() => new Engine.Remotes.RegistryClient(null!));
    }
}
