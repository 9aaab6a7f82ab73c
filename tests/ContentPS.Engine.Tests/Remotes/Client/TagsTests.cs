using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Tests.Fixtures;

namespace ContentPS.Engine.Tests.Remotes.Client;

[Collection(RegistryCollection.Name)]
public sealed class TagsTests(SharedRegistry shared) : IDisposable
{
    private static readonly string[] FiveTags = ["alpha", "bravo", "charlie", "delta", "echo"];

    private readonly TestRegistryClient _client = new();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task ListsEveryTagAskingForPagesOfTheGivenSize()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "tags");
        var (descriptor, body) = await PushManifestTests.PushImageAsync(_client.Client, repository, seed: 40);
        foreach (var tag in FiveTags)
        {
            await _client.Client.PushManifestAsync(repository, descriptor, body, tag);
        }

        _client.Transport.Clear();

        var tags = await _client.Client.ListTagsAsync(repository, pageSize: 2).ToListAsync();

        Assert.Equal(FiveTags, tags.Order(StringComparer.Ordinal));
        // distribution 2.8 ignores n and sends one page without Link; Link pages are tested through the fault proxy.
        var first = _client.Requests[0];
        Assert.Equal(("GET", $"/v2/{repository.Path}/tags/list?n=2"), (first.Method, first.PathAndQuery));
    }

    [Fact]
    public async Task AMissingRepositoryIsRepositoryNotFound()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "no-tags");

        var error = await Assert.ThrowsAsync<NotFoundException>(async () => await _client.Client.ListTagsAsync(repository).ToListAsync());

        Assert.Equal(ErrorIds.RepositoryNotFound, error.ErrorId);
        Assert.Equal(repository.FullName, error.Target);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task APageSizeBelowOneIsInvalid(int pageSize)
    {
        var registry = await shared.GetAsync();

        await Assert.ThrowsAsync<InvalidArgumentException>(async () =>
            await _client.Client.ListTagsAsync(TestRegistryClient.Repository(registry.Host, "client/any"), pageSize).ToListAsync());
        Assert.Empty(_client.Requests);
    }
}
