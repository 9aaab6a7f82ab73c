using System.Collections.Concurrent;
using ContentPS.Engine.Diagnostics;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Client;

/// <summary>A <see cref="RegistryClient"/> on the default transport and hosts, with its requests and verbose lines recorded.</summary>
public sealed class TestRegistryClient : IDisposable
{
    private readonly TempDirectory _hostsDirectory = new();

    public TestRegistryClient(Func<RegistryClientOptions, RegistryClientOptions>? configure = null, IRegistryHosts? hosts = null)
    {
        var options = new RegistryClientOptions
        {
            MaximumRetryCount = 2,
            RetryInterval = TimeSpan.FromMilliseconds(10),
            Log = Log,
            // An empty hosts folder: the user's own hosts.toml files must not change what the tests see.
            HostsDirectory = _hostsDirectory.Path,
        };
        options = configure?.Invoke(options) ?? options;
        Transport = new RecordingTransport(RegistryClientDefaults.CreateTransport(options, RegistryClientDefaults.CreateAuthorizer(options)));
        Client = new RegistryClient(options, hosts ?? RegistryClientDefaults.CreateHosts(options), Transport);
    }

    public RegistryClient Client { get; }

    public RecordingTransport Transport { get; }

    public CollectingLog Log { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests => Transport.Requests;

    public void Dispose() => _hostsDirectory.Dispose();

    /// <summary>A repository of its own for one test: <c>host/client/&lt;name&gt;-&lt;random&gt;</c>.</summary>
    public static ImageReference NewRepository(string host, string name) =>
        ImageReference.Parse($"{host}/client/{name}-{Guid.NewGuid().ToString("N")[..12]}");

    public static ImageReference Repository(string host, string path) => ImageReference.Parse($"{host}/{path}");

    public static Descriptor DescriptorOf(LayoutBlob blob) =>
        new() { MediaType = blob.MediaType, Digest = Digest.Parse(blob.Digest), Size = blob.Size };
}

/// <summary>An <see cref="IEngineLog"/> that keeps every line.</summary>
public sealed class CollectingLog : IEngineLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public bool IsVerboseEnabled => true;

    public bool IsDebugEnabled => true;

    public void Verbose(string message) => _lines.Enqueue("VERBOSE: " + message);

    public void Debug(string message) => _lines.Enqueue("DEBUG: " + message);

    public void Warning(string message) => _lines.Enqueue("WARNING: " + message);
}
