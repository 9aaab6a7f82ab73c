using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Fixtures;

[Collection(RegistryCollection.Name)]
public sealed class LayoutPushTests(SharedRegistry shared) : IDisposable
{
    private static readonly string[] AllManifestTypes =
        [LayoutMediaTypes.OciIndex, LayoutMediaTypes.OciManifest, LayoutMediaTypes.DockerManifestList, LayoutMediaTypes.DockerManifest];

    private readonly TempDirectory _temp = new();

    public static TheoryData<LayoutScenario> AllScenarios() => new(Enum.GetValues<LayoutScenario>());

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public async Task PushedLayoutsKeepDigestAndMediaType(LayoutScenario scenario)
    {
        var registry = await shared.GetAsync();
        var layout = ImageLayouts.Create(scenario, _temp.Combine("layout"));
        var repository = "fixtures/push-" + scenario.ToString().ToLowerInvariant();
        if (scenario == LayoutScenario.Artifact)
        {
            // The artifact's subject is its own tag in the layout; push it too so every blob is there.
            await registry.PushLayoutAsync(layout.Directory, layout.RefName + "-subject", repository, "subject");
        }

        await registry.PushLayoutAsync(layout.Directory, layout.RefName, repository, "v1");

        using var client = registry.CreateHttpClient();
        var (status, digest, mediaType) = await HeadManifestAsync(client, repository, "v1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(layout.Digest, digest);
        Assert.Equal(layout.MediaType, mediaType);
        foreach (var manifest in layout.Blobs.Where(b => b.Kind is BlobKind.Manifest or BlobKind.Index))
        {
            var child = await HeadManifestAsync(client, repository, manifest.Digest);
            Assert.Equal((HttpStatusCode.OK, manifest.Digest, manifest.MediaType), child);
        }

        foreach (var blob in layout.Blobs.Where(b => b.Kind is BlobKind.Config or BlobKind.Layer))
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{blob.Digest}");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(blob.Size, response.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public async Task DockerManifestListStaysDocker()
    {
        var registry = await shared.GetAsync();
        var layout = ImageLayouts.Create(LayoutScenario.DockerMultiPlatform, _temp.Combine("layout"));
        await registry.PushLayoutAsync(layout.Directory, layout.RefName, "fixtures/docker-stays", "latest");

        using var client = registry.CreateHttpClient();
        using var list = await GetManifestAsync(client, "fixtures/docker-stays", "latest");
        Assert.Equal(LayoutMediaTypes.DockerManifestList, list.RootElement.GetProperty("mediaType").GetString());
        foreach (var entry in list.RootElement.GetProperty("manifests").EnumerateArray())
        {
            Assert.Equal(LayoutMediaTypes.DockerManifest, entry.GetProperty("mediaType").GetString());
            using var manifest = await GetManifestAsync(client, "fixtures/docker-stays", entry.GetProperty("digest").GetString()!);
            Assert.Equal(LayoutMediaTypes.DockerConfig, manifest.RootElement.GetProperty("config").GetProperty("mediaType").GetString());
            Assert.All(manifest.RootElement.GetProperty("layers").EnumerateArray(),
                l => Assert.Equal(LayoutMediaTypes.DockerLayerGzip, l.GetProperty("mediaType").GetString()));
        }
    }

    [Fact]
    public async Task AttestationManifestSurvivesThePush()
    {
        var registry = await shared.GetAsync();
        var layout = ImageLayouts.Create(LayoutScenario.MultiPlatform, _temp.Combine("layout"));
        await registry.PushLayoutAsync(layout.Directory, layout.RefName, "fixtures/attested", "latest");

        using var client = registry.CreateHttpClient();
        using var index = await GetManifestAsync(client, "fixtures/attested", "latest");
        var attestation = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(e => e.GetProperty("platform").GetProperty("architecture").GetString() == "unknown");
        Assert.Equal("attestation-manifest", attestation.GetProperty("annotations").GetProperty(LayoutAnnotations.ReferenceType).GetString());
        Assert.Equal(layout.ManifestFor("linux/amd64").Digest, attestation.GetProperty("annotations").GetProperty(LayoutAnnotations.ReferenceDigest).GetString());
        var head = await HeadManifestAsync(client, "fixtures/attested", attestation.GetProperty("digest").GetString()!);
        Assert.Equal(HttpStatusCode.OK, head.Status);
    }

    [Fact]
    public async Task NestedIndexSurvivesThePush()
    {
        var registry = await shared.GetAsync();
        var layout = ImageLayouts.Create(LayoutScenario.NestedIndex, _temp.Combine("layout"));
        await registry.PushLayoutAsync(layout.Directory, layout.RefName, "fixtures/nested", "latest");

        using var client = registry.CreateHttpClient();
        using var outer = await GetManifestAsync(client, "fixtures/nested", "latest");
        var innerEntry = outer.RootElement.GetProperty("manifests")[0];
        Assert.Equal(LayoutMediaTypes.OciIndex, innerEntry.GetProperty("mediaType").GetString());
        using var inner = await GetManifestAsync(client, "fixtures/nested", innerEntry.GetProperty("digest").GetString()!);
        Assert.Equal(2, inner.RootElement.GetProperty("manifests").GetArrayLength());
    }

    [Fact]
    public async Task PushToTheHtpasswdRegistryUsesItsCredentials()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Htpasswd);
        var layout = ImageLayouts.Create(LayoutScenario.Artifact, _temp.Combine("layout"));
        await registry.PushLayoutAsync(layout.Directory, layout.RefName + "-subject", "fixtures/secured", "image");
        await registry.PushLayoutAsync(layout.Directory, layout.RefName, "fixtures/secured", "sbom");

        using var anonymous = registry.CreateHttpClient(withCredentials: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await HeadManifestAsync(anonymous, "fixtures/secured", "sbom")).Status);
        using var client = registry.CreateHttpClient();
        using var artifact = await GetManifestAsync(client, "fixtures/secured", "sbom");
        Assert.Equal(LayoutMediaTypes.ExampleSbomArtifact, artifact.RootElement.GetProperty("artifactType").GetString());
        Assert.Equal(layout.Tags[layout.RefName + "-subject"].Digest, artifact.RootElement.GetProperty("subject").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task PushWithoutCredentialsToTheHtpasswdRegistryFails()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Htpasswd);
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("layout"));

        await Assert.ThrowsAsync<FixtureException>(() =>
            LayoutPublisher.PushAsync(layout.Directory, layout.RefName, new PushTarget(registry.Host, "fixtures/anonymous", "v1")));
    }

    private static async Task<(HttpStatusCode Status, string? Digest, string? MediaType)> HeadManifestAsync(HttpClient client, string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{reference}");
        AcceptAll(request);
        using var response = await client.SendAsync(request);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.Single() : null;
        return (response.StatusCode, digest, response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<JsonDocument> GetManifestAsync(HttpClient client, string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        AcceptAll(request);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
    }

    private static void AcceptAll(HttpRequestMessage request)
    {
        foreach (var type in AllManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
    }
}
