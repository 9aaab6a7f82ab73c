using System.Net;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Http;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Hosts;

/// <summary>A hosts.toml for a real registry's domain that lists a real mirror: the hosts come out in the order requests must try them.</summary>
[Collection(RegistryCollection.Name)]
public sealed class HostsMirrorEndToEndTests(SharedRegistry shared) : IAsyncLifetime
{
    private const string Repository = "hosts/end-to-end";
    private readonly HostsTestRoot _root = new();
    private readonly TempDirectory _temp = new();
    private RegistryFixture _upstream = null!;
    private RegistryFixture _mirror = null!;
    private LayoutResult _layout = null!;

    public async Task InitializeAsync()
    {
        _upstream = await shared.GetAsync(RegistryFlavor.Plain);
        _layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, _temp.Combine("layout"), new LayoutOptions { Seed = 11 });
        await _upstream.PushLayoutAsync(_layout.Directory, _layout.RefName, Repository, "v1");
        _mirror = await RegistryFixture.StartMirrorAsync(_upstream);
    }

    public async Task DisposeAsync()
    {
        await _mirror.DisposeAsync();
        _root.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task FirstHostIsTheMirrorAndAManifestGetReachesIt()
    {
        _root.Write($"127.0.0.1_{_upstream.Port}_", $$"""
            server = "http://{{_upstream.Host}}"
            [host."http://{{_mirror.Host}}"]
              capabilities = ["pull", "resolve"]
              [host."http://{{_mirror.Host}}".header]
                x-contentps-test = "mirror"
            """);
        var manifestInMirror = MirrorRegistry.BlobDataPath(_mirror, _layout.Digest);
        Assert.False(File.Exists(manifestInMirror));

        var hosts = _root.Configuration().GetHosts(_upstream.Host);

        Assert.Equal(2, hosts.Count);
        var (first, server) = (hosts[0], hosts[1]);
        Assert.Equal(("http", _mirror.Host, "/v2", HostCapabilities.Pull | HostCapabilities.Resolve, true), (first.Scheme, first.Host, first.PathPrefix, first.Capabilities, first.IsMirror));
        Assert.Equal(["mirror"], first.Headers["X-ContentPS-Test"]);
        Assert.Equal(("http", _upstream.Host, HostCapabilities.All, false), (server.Scheme, server.Host, server.Capabilities, server.IsMirror));
        Assert.All(hosts, h => Assert.Equal(_upstream.Host, h.RegistryDomain));

        using var response = await SendAsync(first, $"{Repository}/manifests/v1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_layout.Digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.True(File.Exists(manifestInMirror), "the GET went through the mirror, which stored the manifest");
    }

    [Fact]
    public async Task MirrorThatIsDownIsFollowedByTheServer()
    {
        var closedPort = FreePort.Pick();
        _root.Write($"127.0.0.1_{_upstream.Port}_", $$"""
            [host."http://127.0.0.1:{{closedPort}}"]
              capabilities = ["pull", "resolve"]
            [host."http://{{_mirror.Host}}"]
              capabilities = ["pull"]
            """);

        var hosts = _root.Configuration().GetHosts(_upstream.Host);

        Assert.Equal([$"127.0.0.1:{closedPort}", _mirror.Host, _upstream.Host], hosts.Select(h => h.Host));
        Assert.Equal([true, true, false], hosts.Select(h => h.IsMirror));
        var down = await Assert.ThrowsAnyAsync<Exception>(() => SendAsync(hosts[0], $"{Repository}/manifests/v1"));
        Assert.Equal(ErrorClass.Unavailable, Errors.Resolve(down));

        // Resolving a tag skips the pull-only mirror: the next host that can resolve is the server.
        var resolver = hosts.Skip(1).First(h => h.Can(HostCapabilities.Resolve));
        Assert.Equal(_upstream.Host, resolver.Host);
        using var response = await SendAsync(resolver, $"{Repository}/manifests/v1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_layout.Digest, response.Headers.GetValues("Docker-Content-Digest").Single());

        // Fetching by digest may use the pull-only mirror.
        var puller = hosts.Skip(1).First(h => h.Can(HostCapabilities.Pull));
        Assert.Equal(_mirror.Host, puller.Host);
        using var byDigest = await SendAsync(puller, $"{Repository}/manifests/{_layout.Digest}");
        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(RegistryHost host, string path)
    {
        var transport = new RegistryTransport(new RegistryClientOptions { MaximumRetryCount = 0 }, authorizer: null);
        return transport.SendAsync(new RegistryRequest
        {
            Host = host,
            Method = HttpMethod.Get,
            Path = path,
            Accept = [_layout.MediaType],
        }, CancellationToken.None);
    }
}
