using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;

namespace ContentPS.Engine.Tests.Remotes.Client;

[Collection(RegistryCollection.Name)]
public sealed class DeleteTests(SharedRegistry shared) : IDisposable
{
    private readonly TestRegistryClient _client = new();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task DeletingAManifestByDigestRemovesItAndItsTags()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "delete");
        var (descriptor, body) = await PushManifestTests.PushImageAsync(_client.Client, repository, seed: 50);
        await _client.Client.PushManifestAsync(repository, descriptor, body, "v1");

        await _client.Client.DeleteManifestAsync(repository, descriptor.Digest);

        Assert.Equal(("DELETE", 202), (_client.Requests[^1].Method, _client.Requests[^1].Status));
        Assert.Null(await _client.Client.TryGetManifestAsync(repository, descriptor.Digest.ToString()));
        Assert.Null(await _client.Client.TryGetManifestAsync(repository, "v1"));
    }

    [Fact]
    public async Task DeletingAMissingManifestIsManifestNotFound()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "delete-missing");
        await PushManifestTests.PushImageAsync(_client.Client, repository, seed: 51);
        var missing = Digest.FromBytes("never pushed"u8);

        var error = await Assert.ThrowsAsync<NotFoundException>(() => _client.Client.DeleteManifestAsync(repository, missing));

        Assert.Equal(ErrorIds.ManifestNotFound, error.ErrorId);
        Assert.Equal($"{repository.FullName}@{missing}", error.Target);
    }

    [Fact]
    public async Task DeletingATagOnDistribution28DeletesItsManifestByDigest()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "delete-tag");
        var (descriptor, body) = await PushManifestTests.PushImageAsync(_client.Client, repository, seed: 52);
        await _client.Client.PushManifestAsync(repository, descriptor, body, "old");
        await _client.Client.PushManifestAsync(repository, descriptor, body, "same");
        var (otherDescriptor, otherBody) = await PushManifestTests.PushImageAsync(_client.Client, repository, seed: 53);
        await _client.Client.PushManifestAsync(repository, otherDescriptor, otherBody, "kept");
        _client.Transport.Clear();

        await _client.Client.DeleteTagAsync(repository, "old");

        Assert.Equal(
            [$"DELETE /v2/{repository.Path}/manifests/old 400", $"HEAD /v2/{repository.Path}/manifests/old 200",
                $"DELETE /v2/{repository.Path}/manifests/{descriptor.Digest} 202"],
            _client.Requests.Select(r => $"{r.Method} {r.PathAndQuery} {r.Status}"));
        Assert.Null(await _client.Client.TryGetManifestAsync(repository, "old"));
        Assert.Null(await _client.Client.TryGetManifestAsync(repository, "same"));
        Assert.Equal(otherDescriptor.Digest, (await _client.Client.TryGetManifestAsync(repository, "kept"))!.Digest);
        Assert.Contains(_client.Log.Lines, l => l.Contains("removes every tag", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeletingAMissingTagIsManifestNotFound()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "delete-tag-missing");
        await PushManifestTests.PushImageAsync(_client.Client, repository, seed: 54);

        var error = await Assert.ThrowsAsync<NotFoundException>(() => _client.Client.DeleteTagAsync(repository, "absent"));

        Assert.Equal(ErrorIds.ManifestNotFound, error.ErrorId);
        Assert.Equal($"{repository.FullName}:absent", error.Target);
    }
}
