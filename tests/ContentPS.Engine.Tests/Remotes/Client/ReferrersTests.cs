using System.Text;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Client;

[Collection(RegistryCollection.Name)]
public sealed class ReferrersTests(SharedRegistry shared) : IDisposable
{
    private readonly TestRegistryClient _client = new();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task WithoutTheReferrersApiTheTagSchemaIsRead()
    {
        var registry = await shared.GetAsync();
        var repository = TestRegistryClient.NewRepository(registry.Host, "referrers");
        var layout = await PushedLayouts.PushNewAsync(registry, LayoutScenario.Artifact, repository.Path, "sbom");
        var subject = Digest.Parse(layout.Tags[layout.RefName + "-subject"].Digest);
        var artifact = layout.Top;
        var schemaTag = $"sha256-{subject.Encoded}";

        var before = await _client.Client.ListReferrersAsync(repository, subject).ToListAsync();

        Assert.Empty(before);
        Assert.Equal(
            [$"GET /v2/{repository.Path}/referrers/{subject} 404", $"HEAD /v2/{repository.Path}/manifests/{schemaTag} 404"],
            _client.Requests.Select(r => $"{r.Method} {r.PathAndQuery} {r.Status}"));

        var index = ReferrersIndex(artifact);
        await _client.Client.PushManifestAsync(repository, Descriptor.FromContent(MediaTypes.OciIndex, index), index, schemaTag);

        var all = await _client.Client.ListReferrersAsync(repository, subject).ToListAsync();
        var matching = await _client.Client.ListReferrersAsync(repository, subject, artifact.ArtifactType).ToListAsync();
        var other = await _client.Client.ListReferrersAsync(repository, subject, "application/vnd.example.other").ToListAsync();

        var referrer = Assert.Single(all);
        Assert.Equal((artifact.Digest, artifact.MediaType, artifact.Size, artifact.ArtifactType),
            (referrer.Digest.ToString(), referrer.MediaType, referrer.Size, referrer.ArtifactType));
        Assert.Equal(artifact.Digest, Assert.Single(matching).Digest.ToString());
        Assert.Empty(other);
    }

    private static byte[] ReferrersIndex(LayoutBlob artifact) => Encoding.UTF8.GetBytes(
        $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[" +
        $"{{\"mediaType\":\"{artifact.MediaType}\",\"digest\":\"{artifact.Digest}\",\"size\":{artifact.Size},\"artifactType\":\"{artifact.ArtifactType}\"}}]}}");
}
