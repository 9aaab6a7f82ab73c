using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Http;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Http;

/// <summary>A real registry behind a fault proxy, a transport pointed at the proxy, and the transport's log.</summary>
internal sealed class TransportHarness : IAsyncDisposable
{
    private TransportHarness(FaultProxy proxy, RegistryClientOptions options, IRegistryAuthorizer? authorizer, CollectingLog log)
    {
        Proxy = proxy;
        Log = log;
        Options = options;
        Transport = new RegistryTransport(options, authorizer);
        Host = HostFor(proxy);
    }

    public FaultProxy Proxy { get; }

    public CollectingLog Log { get; }

    public RegistryClientOptions Options { get; }

    public RegistryTransport Transport { get; }

    public RegistryHost Host { get; }

    /// <summary>Fast retries by default so tests do not sleep; pass options to change that.</summary>
    public static async Task<TransportHarness> StartAsync(RegistryFixture registry, IRegistryAuthorizer? authorizer = null,
        Func<RegistryClientOptions, RegistryClientOptions>? configure = null)
    {
        var log = new CollectingLog();
        var options = new RegistryClientOptions { Log = log, RetryInterval = TimeSpan.FromMilliseconds(20), MaximumRetryCount = 4 };
        options = configure?.Invoke(options) ?? options;
        var proxy = await FaultProxy.StartAsync(registry.BaseUri);
        return new TransportHarness(proxy, options, authorizer, log);
    }

    public static RegistryHost HostFor(FaultProxy proxy) => new() { Host = proxy.Host, Scheme = "http", RegistryDomain = proxy.Host };

    public RegistryRequest Get(string path) => Request(HttpMethod.Get, path);

    public RegistryRequest Request(HttpMethod method, string path) => new() { Host = Host, Method = method, Path = path };

    public Task<HttpResponseMessage> SendAsync(RegistryRequest request, CancellationToken cancellationToken = default) =>
        Transport.SendAsync(request, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        HostBackoff.Forget(Proxy.Host);
        await Proxy.DisposeAsync();
    }
}
