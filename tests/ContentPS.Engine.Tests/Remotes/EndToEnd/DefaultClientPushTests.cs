using System.Text;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Credentials;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.EndToEnd;

/// <summary>
/// <c>new RegistryClient(options)</c>, the full default wiring (hosts, transport, authorizer, credential
/// providers), against registries that ask for credentials: htpasswd (Basic) and token (Bearer).
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class DefaultClientPushTests(SharedRegistry shared) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(RegistryFlavor.Htpasswd)]
    [InlineData(RegistryFlavor.Token)]
    public async Task PushesBlobsAndAManifestWithCredentialsAndReadsThemBack(RegistryFlavor flavor)
    {
        var registry = await shared.GetAsync(flavor);
        var client = CreateClient(registry, withCredentials: true);
        var repository = NewRepository(registry, "e2e/push");

        var (manifest, body, layer, outcomes) = await PushImageAsync(client, repository, seed: 1, "v1");

        Assert.Equal([BlobPushOutcome.Uploaded, BlobPushOutcome.Uploaded], outcomes);
        var resolved = await client.ResolveAsync(ImageReference.Parse($"{repository.FullName}:v1"));
        Assert.Equal((manifest.Digest, manifest.MediaType, manifest.Size), (resolved.Descriptor.Digest, resolved.Descriptor.MediaType, resolved.Descriptor.Size));
        var fetched = await client.FetchManifestAsync(repository, resolved.Descriptor);
        Assert.Equal(body, fetched.Body);
        await using var stream = await client.OpenBlobAsync(repository, layer.Descriptor);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(layer.Content, copy.ToArray());
        // Pushed again: the registry has it, nothing is sent.
        Assert.Equal(BlobPushOutcome.Existed, (await client.PushBlobAsync(repository, layer.Descriptor, Open(layer.Content))).Outcome);
    }

    [Fact]
    public async Task MountsABlobAcrossRepositoriesOfTheTokenRegistryAskingPullOnTheSource()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var client = CreateClient(registry, withCredentials: true);
        var source = NewRepository(registry, "e2e/mount-source");
        var target = NewRepository(registry, "e2e/mount-target");
        var layer = Blob(20_000, seed: 2);
        await client.PushBlobAsync(source, layer.Descriptor, Open(layer.Content));
        var tokenRequestsBefore = registry.TokenRequests.Count;
        var opened = 0;

        var result = await client.PushBlobAsync(target, layer.Descriptor, _ =>
        {
            opened++;
            return Task.FromResult<Stream>(new MemoryStream(layer.Content));
        }, [source.Path]);

        Assert.Equal((BlobPushOutcome.Mounted, source.Path), (result.Outcome, result.MountedFrom));
        Assert.Equal(0, opened);
        var asked = registry.TokenRequests.Skip(tokenRequestsBefore).Where(r => r.Names(target.Path)).ToList();
        Assert.Contains(asked, r => r.Status == 200 && r.AuthenticatedUser == registry.Username
            && r.Scopes.Contains($"repository:{source.Path}:pull") && r.Scopes.Any(s => s.StartsWith($"repository:{target.Path}:", StringComparison.Ordinal) && s.Contains("push", StringComparison.Ordinal)));
        Assert.NotNull(await client.TryGetBlobAsync(target, layer.Descriptor.Digest));
    }

    [Theory]
    [InlineData(RegistryFlavor.Htpasswd, "e2e/anonymous")]
    [InlineData(RegistryFlavor.Token, "e2e/anonymous")]
    [InlineData(RegistryFlavor.Token, "public/e2e-anonymous")]
    public async Task RefusesAnAnonymousPushAsUnauthenticated(RegistryFlavor flavor, string name)
    {
        var registry = await shared.GetAsync(flavor);
        var anonymous = CreateClient(registry, withCredentials: false);
        var repository = NewRepository(registry, name);
        var layer = Blob(1_000, seed: 3);

        var error = await Assert.ThrowsAsync<UnauthenticatedException>(() =>
            anonymous.PushBlobAsync(repository, layer.Descriptor, Open(layer.Content)));

        Assert.Equal(ErrorClass.Unauthenticated, error.Class);
        Assert.Equal(ErrorIds.RegistryUnauthorized, error.ErrorId);
        Assert.DoesNotContain(registry.Password!, error.ToString(), StringComparison.Ordinal);
        Assert.Null(await CreateClient(registry, withCredentials: true).TryGetBlobAsync(repository, layer.Descriptor.Digest));
    }

    [Theory]
    [InlineData(RegistryFlavor.Htpasswd)]
    [InlineData(RegistryFlavor.Token)]
    public async Task ListsTagsWithCredentialsAndRefusesThemAnonymously(RegistryFlavor flavor)
    {
        var registry = await shared.GetAsync(flavor);
        var client = CreateClient(registry, withCredentials: true);
        var repository = NewRepository(registry, "e2e/tags");
        await PushImageAsync(client, repository, seed: 4, "v2", "v1", "latest");

        var tags = new List<string>();
        await foreach (var tag in client.ListTagsAsync(repository, pageSize: 2))
        {
            tags.Add(tag);
        }

        Assert.Equal(["latest", "v1", "v2"], tags.Order(StringComparer.Ordinal));
        await Assert.ThrowsAsync<UnauthenticatedException>(async () =>
        {
            await foreach (var _ in CreateClient(registry, withCredentials: false).ListTagsAsync(repository))
            {
            }
        });
    }

    [Fact]
    public async Task TakesTheCredentialFromADockerConfigFile()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        var configPath = Path.Combine(_temp.Path, "config.json");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}"));
        await File.WriteAllTextAsync(configPath, System.Text.Json.JsonSerializer.Serialize(
            new { auths = new Dictionary<string, object> { [registry.Host] = new { auth } } }));
        var client = new RegistryClient(Options(new DockerConfigCredentialProvider(configPath)));
        var repository = NewRepository(registry, "e2e/docker-config");
        var layer = Blob(3_000, seed: 5);

        var result = await client.PushBlobAsync(repository, layer.Descriptor, Open(layer.Content));

        Assert.Equal(BlobPushOutcome.Uploaded, result.Outcome);
        Assert.Contains(registry.TokenRequests, r => r.Names(repository.Path) && r.AuthenticatedUser == registry.Username);
    }

    private RegistryClient CreateClient(RegistryFixture registry, bool withCredentials) =>
        new(Options(withCredentials ? new StaticCredentialProvider(new RegistryCredential(registry.Username!, registry.Password!)) : new ChainCredentialProvider()));

    // The user's own hosts.toml and credential files must not change what the tests see.
    private RegistryClientOptions Options(ICredentialProvider credentials) => new()
    {
        CredentialProvider = credentials,
        HostsDirectory = _temp.Path,
        MaximumRetryCount = 1,
        RetryInterval = TimeSpan.FromMilliseconds(10),
    };

    private static ImageReference NewRepository(RegistryFixture registry, string name) =>
        ImageReference.Parse($"{registry.Host}/{name}-{Guid.NewGuid().ToString("N")[..12]}");

    private static Func<CancellationToken, Task<Stream>> Open(byte[] content) => _ => Task.FromResult<Stream>(new MemoryStream(content));

    private static (byte[] Content, Descriptor Descriptor) Blob(int size, int seed, string mediaType = MediaTypes.OciLayer)
    {
        var content = new byte[size];
        new Random(seed * 7919 + Environment.ProcessId).NextBytes(content);
        return (content, Descriptor.FromContent(mediaType, content));
    }

    // Pushes a one-layer image (config, layer, then the manifest under each tag) and says how each blob got there.
    private static async Task<(Descriptor Manifest, byte[] Body, (byte[] Content, Descriptor Descriptor) Layer, BlobPushOutcome[] Outcomes)> PushImageAsync(
        RegistryClient client, ImageReference repository, int seed, params string[] tags)
    {
        var (manifest, body, config, layer) = SmallImage(seed);
        var outcomes = new[]
        {
            (await client.PushBlobAsync(repository, config.Descriptor, Open(config.Content))).Outcome,
            (await client.PushBlobAsync(repository, layer.Descriptor, Open(layer.Content))).Outcome,
        };
        foreach (var tag in tags)
        {
            await client.PushManifestAsync(repository, manifest, body, tag);
        }

        return (manifest, body, layer, outcomes);
    }

    private static (Descriptor Manifest, byte[] Body, (byte[] Content, Descriptor Descriptor) Config, (byte[] Content, Descriptor Descriptor) Layer) SmallImage(int seed)
    {
        var configBytes = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"seed":{{seed}}}""");
        var config = (configBytes, Descriptor.FromContent(MediaTypes.OciConfig, configBytes));
        var layer = Blob(4_096, seed);
        var body = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{config.Item2.Digest}}","size":{{configBytes.Length}}},"layers":[{"mediaType":"{{MediaTypes.OciLayer}}","digest":"{{layer.Descriptor.Digest}}","size":{{layer.Content.Length}}}]}""");
        return (Descriptor.FromContent(MediaTypes.OciManifest, body), body, config, layer);
    }
}
