using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Client;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Client;

[Collection(RegistryCollection.Name)]
public sealed class HostFallbackTests(SharedRegistry shared)
{
    // Nothing listens there: connecting fails at once (connection refused).
    private static readonly string DeadHost = $"127.0.0.1:{FreePort.Pick()}";

    [Fact]
    public async Task AnUnreachableMirrorFallsBackToTheRegistry()
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, LayoutScenario.SinglePlatform);
        using var client = new TestRegistryClient(hosts: new StaticHosts(
            StaticHosts.Host(DeadHost, registry.Host, mirror: true), StaticHosts.Host(registry.Host, registry.Host)));

        var resolved = await client.Client.ResolveAsync(ImageReference.Parse($"{registry.Host}/{pushed.Repository}:{PushedLayouts.Tag}"));

        Assert.Equal(pushed.Layout.Digest, resolved.Descriptor.Digest.ToString());
        Assert.Equal([(DeadHost, (int?)null), (registry.Host, 200)], client.Requests.Select(r => (r.Url.Authority, r.Status)));
        Assert.Contains(client.Log.Lines, l => l.StartsWith("VERBOSE: ", StringComparison.Ordinal) && l.Contains($"trying http://{registry.Host}/v2"));
    }

    [Fact]
    public async Task AnUnreachableRegistryHostFallsBackToTheNextHost()
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, LayoutScenario.SinglePlatform);
        using var client = new TestRegistryClient(hosts: new StaticHosts(
            StaticHosts.Host(DeadHost, registry.Host), StaticHosts.Host(registry.Host, registry.Host)));
        var layer = pushed.Layout.OfKind(BlobKind.Layer).First();

        await using var stream = await client.Client.OpenBlobAsync(pushed.Reference, TestRegistryClient.DescriptorOf(layer));

        Assert.Equal(layer.Size, stream.Length);
        Assert.Equal([DeadHost, registry.Host], client.Requests.Select(r => r.Url.Authority));
    }

    [Fact]
    public async Task ANotFoundFromTheRegistryItselfIsFinal()
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, LayoutScenario.SinglePlatform);
        using var client = new TestRegistryClient(hosts: new StaticHosts(
            StaticHosts.Host(registry.Host, registry.Host), StaticHosts.Host(DeadHost, registry.Host)));

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            client.Client.ResolveAsync(ImageReference.Parse($"{registry.Host}/{pushed.Repository}:missing")));

        Assert.Equal(ErrorIds.ManifestNotFound, error.ErrorId);
        Assert.Equal([registry.Host], client.Requests.Select(r => r.Url.Authority));
    }

    [Fact]
    public async Task WhenEveryHostFailsTheLastHostsErrorIsThrown()
    {
        var registry = await shared.GetAsync();
        var otherDead = $"127.0.0.2:{FreePort.Pick()}";
        using var client = new TestRegistryClient(o => new() { MaximumRetryCount = 0, Log = o.Log, HostsDirectory = o.HostsDirectory },
            new StaticHosts(StaticHosts.Host(DeadHost, registry.Host, mirror: true), StaticHosts.Host(otherDead, registry.Host)));

        var error = await Assert.ThrowsAsync<UnavailableException>(() =>
            client.Client.ResolveAsync(ImageReference.Parse($"{registry.Host}/client/any:v1")));

        Assert.Contains(otherDead, error.Message);
        Assert.Equal([DeadHost, otherDead], client.Requests.Select(r => r.Url.Authority));
    }

    [Fact]
    public async Task OnlyHostsWithTheCapabilityAreAsked()
    {
        var registry = await shared.GetAsync();
        var pushed = await PushedLayouts.GetAsync(registry, LayoutScenario.SinglePlatform);
        using var client = new TestRegistryClient(hosts: new StaticHosts(
            StaticHosts.Host(DeadHost, registry.Host, mirror: true, HostCapabilities.Pull | HostCapabilities.Resolve),
            StaticHosts.Host(registry.Host, registry.Host, capabilities: HostCapabilities.Pull | HostCapabilities.Push)));
        var (content, descriptor) = PushBlobTests.Blob(3_000, seed: 60);

        var pushedBlob = await client.Client.PushBlobAsync(pushed.Reference, descriptor, _ => Task.FromResult<Stream>(new MemoryStream(content)));
        var resolveOnlyByTheDeadMirror = await Assert.ThrowsAsync<UnavailableException>(() =>
            client.Client.ResolveAsync(ImageReference.Parse($"{registry.Host}/{pushed.Repository}:{PushedLayouts.Tag}")));

        Assert.Equal(BlobPushOutcome.Uploaded, pushedBlob.Outcome);
        Assert.Equal([registry.Host, registry.Host, registry.Host, DeadHost], client.Requests.Select(r => r.Url.Authority));
        Assert.Equal(ErrorIds.RegistryUnavailable, resolveOnlyByTheDeadMirror.ErrorId);
    }

    [Fact]
    public async Task NoHostWithTheCapabilityIsNotFoundWithoutARequest()
    {
        var registry = await shared.GetAsync();
        using var client = new TestRegistryClient(hosts: new StaticHosts(StaticHosts.Host(registry.Host, registry.Host, capabilities: HostCapabilities.Pull)));

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            client.Client.PushManifestAsync(ImageReference.Parse($"{registry.Host}/client/any"), Descriptor.FromContent(MediaTypes.OciManifest, "{}"u8), "{}"u8.ToArray()));

        Assert.Contains("push", error.Message);
        Assert.Empty(client.Requests);
    }

    [Theory]
    [InlineData(ErrorClass.NotFound, true, true)]
    [InlineData(ErrorClass.Unauthenticated, true, true)]
    [InlineData(ErrorClass.FailedPrecondition, true, true)]
    [InlineData(ErrorClass.NotFound, false, false)]
    [InlineData(ErrorClass.Unauthenticated, false, false)]
    [InlineData(ErrorClass.PermissionDenied, false, false)]
    [InlineData(ErrorClass.ResourceExhausted, false, false)]
    [InlineData(ErrorClass.InvalidArgument, false, false)]
    [InlineData(ErrorClass.Unavailable, false, true)]
    [InlineData(ErrorClass.DeadlineExceeded, false, true)]
    [InlineData(ErrorClass.Internal, false, true)]
    [InlineData(ErrorClass.Canceled, true, false)]
    public void WhichFailuresMoveOnToTheNextHost(ErrorClass errorClass, bool mirror, bool moveOn)
    {
        var host = StaticHosts.Host("127.0.0.1:1", "127.0.0.1:1", mirror);

        Assert.Equal(moveOn, HostFallback.ShouldTryNextHost(Errors.New(errorClass, "failed"), host, CancellationToken.None));
    }

    [Fact]
    public void CancellationNeverMovesOn()
    {
        var host = StaticHosts.Host("127.0.0.1:1", "127.0.0.1:1", mirror: true);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(HostFallback.ShouldTryNextHost(new OperationCanceledException(), host, CancellationToken.None));
        Assert.False(HostFallback.ShouldTryNextHost(Errors.New(ErrorClass.Unavailable, "x"), host, cancelled.Token));
    }
}
