using System.Text;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.Engine.Tests.Remotes.Client;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Transfer.Copy;

/// <summary>
/// Referrers follow the image between two distribution 2.8 registries, which have no referrers API: the
/// source lists them in tag-schema indexes (as referrers-aware tools write them), the copy writes them.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ReferrersCopyTests(SharedRegistry shared) : CopyTestBase(shared)
{
    private const string SignatureType = "application/vnd.example.signature.v1";

    [Fact]
    public async Task ReferrersAndTheirReferrersAreCopiedAndListedThroughTheTagSchema()
    {
        var (subject, sbom, signature, source) = await PushSignedImageAsync("copy-ref-src");
        var destination = NewRepository(OtherProxy.Host, "copy-ref-dst").WithTag("v1");

        var result = await CopyAsync(source, destination, r => r with { IncludeReferrers = true });

        Assert.Equal(new[] { sbom.Digest.ToString(), signature.Digest.ToString() }.Order(), result.Referrers.Select(r => r.Digest.ToString()).Order());
        Assert.Equal(subject, result.Root.Digest);
        Assert.Equal([sbom.Digest], await ListAsync(destination, subject));
        Assert.Equal([signature.Digest], await ListAsync(destination, sbom.Digest));
        Assert.NotNull(await Client.Client.TryGetManifestAsync(destination, signature.Digest.ToString()));
        // distribution 2.8 answered 404 to the referrers API, so the tag schema was written.
        Assert.Contains(OtherProxy.Requests, r => r.Method == "GET" && r.Target.Contains("/referrers/", StringComparison.Ordinal) && r.Status == 404);
        Assert.Contains(OtherProxy.Requests, r => r.Method == "PUT" && r.Target.EndsWith($"/manifests/sha256-{subject.Encoded}", StringComparison.Ordinal));
        var listed = await Client.Client.ListReferrersAsync(destination, subject).ToListAsync();
        Assert.Equal(sbom.ArtifactType, Assert.Single(listed).ArtifactType);
    }

    [Fact]
    public async Task WithoutIncludeReferrersOnlyTheImageIsCopied()
    {
        var (subject, _, _, source) = await PushSignedImageAsync("copy-noref-src");
        var destination = NewRepository(OtherProxy.Host, "copy-noref-dst").WithTag("v1");

        var result = await CopyAsync(source, destination);

        Assert.Empty(result.Referrers);
        Assert.DoesNotContain(OtherProxy.Requests, r => r.Target.Contains("sha256-", StringComparison.Ordinal) || r.Target.Contains("/referrers/", StringComparison.Ordinal));
        Assert.Empty(await ListAsync(destination, subject));
    }

    [Fact]
    public async Task ACopyAgainAddsNothingToTheReferrersIndex()
    {
        var (subject, sbom, _, source) = await PushSignedImageAsync("copy-reref-src");
        var destination = NewRepository(OtherProxy.Host, "copy-reref-dst").WithTag("v1");
        await CopyAsync(source, destination, r => r with { IncludeReferrers = true });
        OtherProxy.ClearRequests();

        var again = await CopyAsync(source, destination, r => r with { IncludeReferrers = true });

        Assert.Equal(2, again.Referrers.Count);
        Assert.Equal([sbom.Digest], await ListAsync(destination, subject));
        Assert.Empty(ManifestPuts(OtherProxy));
    }

    // The Artifact scenario (an image and its SBOM), a signature of the SBOM, and the source's tag-schema indexes for both.
    private async Task<(Digest Subject, Descriptor Sbom, Descriptor Signature, ImageReference Source)> PushSignedImageAsync(string name)
    {
        var repository = NewRepository(Proxy.Host, name);
        var layout = await PushedLayouts.PushNewAsync(Registry, LayoutScenario.Artifact, repository.Path, "v1-sbom");
        var subject = Digest.Parse(layout.Tags[layout.RefName + "-subject"].Digest);
        var sbom = new Descriptor
        {
            MediaType = layout.Top.MediaType, Digest = Digest.Parse(layout.Top.Digest), Size = layout.Top.Size, ArtifactType = layout.Top.ArtifactType,
        };
        var client = Client.Client;
        var empty = await PushBlobAsync(client, repository, "application/vnd.oci.empty.v1+json", "{}"u8.ToArray());
        var payload = await PushBlobAsync(client, repository, "application/octet-stream", Encoding.UTF8.GetBytes("signature of " + sbom.Digest));
        var manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"artifactType\":\"{SignatureType}\"," +
            $"\"config\":{Json(empty)},\"layers\":[{Json(payload)}],\"subject\":{Json(sbom)}}}");
        var signature = Descriptor.FromContent(MediaTypes.OciManifest, manifest);
        await client.PushManifestAsync(repository, signature, manifest);
        signature = new Descriptor { MediaType = signature.MediaType, Digest = signature.Digest, Size = signature.Size, ArtifactType = SignatureType };
        await PushReferrersIndexAsync(client, repository, subject, sbom);
        await PushReferrersIndexAsync(client, repository, sbom.Digest, signature);
        // The subject was pushed as "subject"; the copy starts from it.
        return (subject, sbom, signature, repository.WithTag("subject"));
    }

    private static async Task<Descriptor> PushBlobAsync(RegistryClient client, ImageReference repository, string mediaType, byte[] content)
    {
        var descriptor = Descriptor.FromContent(mediaType, content);
        await client.PushBlobAsync(repository, descriptor, _ => Task.FromResult<Stream>(new MemoryStream(content)));
        return descriptor;
    }

    private static async Task PushReferrersIndexAsync(RegistryClient client, ImageReference repository, Digest subject, Descriptor referrer)
    {
        var index = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[{Json(referrer)}]}}");
        await client.PushManifestAsync(repository, Descriptor.FromContent(MediaTypes.OciIndex, index), index, $"sha256-{subject.Encoded}");
    }

    private static string Json(Descriptor d) =>
        $"{{\"mediaType\":\"{d.MediaType}\",\"digest\":\"{d.Digest}\",\"size\":{d.Size}" + (d.ArtifactType is null ? "" : $",\"artifactType\":\"{d.ArtifactType}\"") + "}";

    private async Task<IReadOnlyList<Digest>> ListAsync(ImageReference repository, Digest subject) =>
        (await Client.Client.ListReferrersAsync(repository, subject).ToListAsync()).Select(d => d.Digest).ToList();
}
