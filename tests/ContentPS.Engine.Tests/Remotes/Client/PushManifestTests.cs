using System.Text;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;

namespace ContentPS.Engine.Tests.Remotes.Client;

[Collection(RegistryCollection.Name)]
public sealed class PushManifestTests(SharedRegistry shared) : IDisposable
{
    private readonly TestRegistryClient _client = new();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task APushedManifestResolvesAndFetchesAsTheSameBytes()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "manifest");
        var (descriptor, body) = await PushImageAsync(_client.Client, repository, seed: 1);

        await _client.Client.PushManifestAsync(repository, descriptor, body, "v1");
        var resolved = await _client.Client.ResolveAsync(repository.WithTag("v1"));
        var fetched = await _client.Client.FetchManifestAsync(repository, resolved.Descriptor);

        Assert.Equal((descriptor.Digest, descriptor.MediaType, descriptor.Size),
            (resolved.Descriptor.Digest, resolved.Descriptor.MediaType, resolved.Descriptor.Size));
        Assert.Equal(body, fetched.Body);
        var put = _client.Requests.Single(r => r.Method == "PUT" && r.PathAndQuery.EndsWith("/manifests/v1", StringComparison.Ordinal));
        Assert.Equal(201, put.Status);
    }

    [Fact]
    public async Task WithoutATagTheManifestIsPushedByDigest()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "by-digest");
        var (descriptor, body) = await PushImageAsync(_client.Client, repository, seed: 2);

        await _client.Client.PushManifestAsync(repository, descriptor, body);

        Assert.EndsWith($"/manifests/{descriptor.Digest}", _client.Requests[^1].PathAndQuery);
        Assert.Equal(descriptor.Size, (await _client.Client.TryGetManifestAsync(repository, descriptor.Digest.ToString()))!.Size);
    }

    [Fact]
    public async Task ABodyThatIsNotTheDescriptorsIsRefusedBeforeAnyRequest()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "mismatch");
        var body = Encoding.UTF8.GetBytes("{\"schemaVersion\":2}");
        var descriptor = Descriptor.FromContent(MediaTypes.OciManifest, body);
        var changed = body.ToArray();
        changed[^2] = (byte)'3';

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => _client.Client.PushManifestAsync(repository, descriptor, changed, "v1"));

        Assert.Equal(ErrorIds.DigestMismatch, error.ErrorId);
        Assert.Empty(_client.Requests);
    }

    [Fact]
    public async Task AManifestWhoseBlobsAreMissingIsFailedPrecondition()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "missing-blobs");
        var (config, _) = PushBlobTests.Blob(100, seed: 30);
        var body = ManifestJson(Descriptor.FromContent(MediaTypes.OciConfig, config), []);
        var descriptor = Descriptor.FromContent(MediaTypes.OciManifest, body);

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => _client.Client.PushManifestAsync(repository, descriptor, body, "v1"));

        Assert.Contains("MANIFEST_BLOB_UNKNOWN", error.Message);
        Assert.Equal($"{repository.FullName}:v1", error.Target);
    }

    /// <summary>Pushes a config and a layer and returns an OCI manifest of them (not yet pushed).</summary>
    internal static async Task<(Descriptor Descriptor, byte[] Body)> PushImageAsync(RegistryClient client, ImageReference repository, int seed,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[]}},\"seed\":{seed}}}");
        var (layer, _) = PushBlobTests.Blob(2_000, seed: 100 + seed);
        var configDescriptor = Descriptor.FromContent(MediaTypes.OciConfig, config);
        var layerDescriptor = Descriptor.FromContent(MediaTypes.OciLayerGzip, layer);
        await client.PushBlobAsync(repository, configDescriptor, _ => Task.FromResult<Stream>(new MemoryStream(config)));
        await client.PushBlobAsync(repository, layerDescriptor, _ => Task.FromResult<Stream>(new MemoryStream(layer)));
        var body = ManifestJson(configDescriptor, [layerDescriptor], annotations);
        return (Descriptor.FromContent(MediaTypes.OciManifest, body), body);
    }

    internal static byte[] ManifestJson(Descriptor config, IReadOnlyList<Descriptor> layers, IReadOnlyDictionary<string, string>? annotations = null)
    {
        static string Entry(Descriptor d) => $"{{\"mediaType\":\"{d.MediaType}\",\"digest\":\"{d.Digest}\",\"size\":{d.Size}}}";
        var annotationJson = annotations is null ? "" :
            ",\"annotations\":{" + string.Join(",", annotations.Select(a => $"\"{a.Key}\":\"{a.Value}\"")) + "}";
        return Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"config\":{Entry(config)},\"layers\":[{string.Join(",", layers.Select(Entry))}]{annotationJson}}}");
    }
}
