using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Hosts;

/// <summary>The pull-through mirror fixture: a docker-registry in proxy mode in front of a fixture registry.</summary>
[Collection(RegistryCollection.Name)]
public sealed class MirrorFixtureTests(SharedRegistry shared) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ContentPushedUpstreamIsServedAndStoredByTheMirror()
    {
        var upstream = await shared.GetAsync(RegistryFlavor.Plain);
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("layout"));
        await upstream.PushLayoutAsync(layout.Directory, layout.RefName, "hosts/mirror-pull", "v1");
        await using var mirror = await RegistryFixture.StartMirrorAsync(upstream);
        using var client = mirror.CreateHttpClient();
        var manifestFile = MirrorRegistry.BlobDataPath(mirror, layout.Digest);
        Assert.False(File.Exists(manifestFile));

        var (status, digest, bodyDigest) = await MirrorRegistry.GetManifestAsync(client, new Uri(mirror.BaseUri, "v2/hosts/mirror-pull/manifests/v1"), layout.MediaType);

        Assert.Equal((HttpStatusCode.OK, layout.Digest, layout.Digest), (status, digest, bodyDigest));
        Assert.True(File.Exists(manifestFile), "the mirror stores the manifest it fetched");
        Assert.Equal(upstream.BaseUri, mirror.UpstreamUri);
        Assert.NotEqual(upstream.Port, mirror.Port);
        Assert.NotEqual(upstream.RootDirectory, mirror.RootDirectory);
        foreach (var blob in layout.Blobs.Where(b => b.Kind is BlobKind.Config or BlobKind.Layer))
        {
            var bytes = await client.GetByteArrayAsync($"v2/hosts/mirror-pull/blobs/{blob.Digest}");
            Assert.Equal(blob.Digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    [Fact]
    public async Task MirrorRefusesPushes()
    {
        var upstream = await shared.GetAsync(RegistryFlavor.Plain);
        await using var mirror = await RegistryFixture.StartMirrorAsync(upstream);
        using var client = mirror.CreateHttpClient();

        using var upload = await client.PostAsync("v2/hosts/mirror-push/blobs/uploads/", null);
        using var manifest = await client.PutAsync("v2/hosts/mirror-push/manifests/v1", new ByteArrayContent("{}"u8.ToArray())
        {
            Headers = { ContentType = new("application/vnd.oci.image.manifest.v1+json") },
        });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, upload.StatusCode);
        Assert.Contains("UNSUPPORTED", await upload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, manifest.StatusCode);
        using var upstreamClient = upstream.CreateHttpClient();
        using var upstreamTags = await upstreamClient.GetAsync("v2/hosts/mirror-push/tags/list");
        Assert.Equal(HttpStatusCode.NotFound, upstreamTags.StatusCode);
    }

    [Fact]
    public async Task BasicAuthUpstreamIsRefusedWithTheReason()
    {
        // docker-registry 2.8's proxy gives its credentials to bearer token realms only: it could never log in here.
        var upstream = await shared.GetAsync(RegistryFlavor.Htpasswd);

        var error = await Assert.ThrowsAsync<FixtureException>(() => RegistryFixture.StartMirrorAsync(upstream));

        Assert.Contains("asks for Basic auth", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(upstream.Password!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposingTheMirrorStopsItAndDeletesItsFiles()
    {
        var upstream = await shared.GetAsync(RegistryFlavor.Plain);
        var mirror = await RegistryFixture.StartMirrorAsync(upstream);
        var root = Path.GetDirectoryName(mirror.RootDirectory)!;

        await mirror.DisposeAsync();

        Assert.False(Directory.Exists(root));
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(mirror.ProcessId).Kill());
    }

    [Fact]
    public async Task BadUpstreamArgumentsAreRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => RegistryFixture.StartMirrorAsync(new Uri("ftp://127.0.0.1:1/")));
        await Assert.ThrowsAsync<ArgumentException>(() => RegistryFixture.StartMirrorAsync(new Uri("http://127.0.0.1:1/"), "user", null));
    }

    [Fact]
    public async Task MirrorOfAnUpstreamThatIsDownFailsToStartWithItsStderr()
    {
        var closed = FreePort.Pick();

        var error = await Assert.ThrowsAsync<FixtureException>(() => RegistryFixture.StartMirrorAsync(new Uri($"http://127.0.0.1:{closed}/")));

        Assert.Contains("docker-registry exited", error.Message, StringComparison.Ordinal);
    }
}
