using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ContentPS.TestFixtures;

/// <summary>
/// A reverse proxy in front of a real registry that injects faults: statuses, dropped
/// connections, slow or corrupted bodies, redirects, ignored ranges, extra headers (see
/// <see cref="FaultRule"/>). Plain HTTP/1.1 on a free port of <c>127.0.0.1</c> (or another
/// loopback address, for a second host); bodies stream both ways. Every request is logged in
/// <see cref="Requests"/>. Rules can also be added over HTTP (<see cref="FaultControlEndpoint"/>).
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, Task> _connections = new();
    private readonly ConcurrentQueue<FaultRequest> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _acceptLoop;
    private int _sequence;
    private int _disposed;

    private FaultProxy(Uri upstream, TcpListener listener, X509Certificate2? serverCertificate)
    {
        UpstreamUri = upstream;
        ServerCertificate = serverCertificate;
        _listener = listener;
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        Host = $"{endpoint.Address}:{endpoint.Port}";
        Port = endpoint.Port;
        Upstream = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _acceptLoop = AcceptAsync();
    }

    /// <summary>The registry (or anything HTTP) requests are forwarded to.</summary>
    public Uri UpstreamUri { get; }

    /// <summary>"127.0.0.1:port": the proxy as a registry host name.</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary><c>http://host/</c>, or <c>https://host/</c> when the proxy speaks TLS.</summary>
    public Uri BaseUri => new($"{(ServerCertificate is null ? "http" : "https")}://{Host}/");

    /// <summary>The certificate clients see when the proxy speaks TLS; null for plain HTTP.</summary>
    public X509Certificate2? ServerCertificate { get; }

    /// <summary>A snapshot of every request received so far, oldest first.</summary>
    public IReadOnlyList<FaultRequest> Requests => _requests.ToArray();

    internal FaultRuleTable Rules { get; } = new();

    internal HttpClient Upstream { get; }

    /// <summary>
    /// Starts a proxy to <paramref name="upstream"/> on a free port of <paramref name="address"/>
    /// (default 127.0.0.1); with <paramref name="serverCertificate"/> it speaks TLS (HTTP/1.1 by
    /// ALPN) and asks clients for a certificate (logged as <see cref="FaultRequest.ClientCertificate"/>).
    /// </summary>
    public static Task<FaultProxy> StartAsync(Uri upstream, IPAddress? address = null, X509Certificate2? serverCertificate = null)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (!upstream.IsAbsoluteUri || upstream.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"The fault proxy forwards to an absolute http:// URI, not '{upstream}'.", nameof(upstream));
        }

        var listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        listener.Start();
        return Task.FromResult(new FaultProxy(upstream, listener, serverCertificate));
    }

    /// <summary>Adds a rule after the existing ones; returns its id (for <see cref="Hits"/> and <see cref="FaultRequest.RuleId"/>).</summary>
    public int AddRule(FaultRule rule) => Rules.Add(rule);

    /// <summary>How many requests rule <paramref name="ruleId"/> has applied to.</summary>
    public int Hits(int ruleId) => Rules.Hits(ruleId);

    public void ClearRules() => Rules.Clear();

    public void ClearRequests() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _listener.Stop();
        foreach (var client in _connections.Keys) client.Dispose();
        await Task.WhenAll(_connections.Values.Append(_acceptLoop)).ConfigureAwait(false);
        Upstream.Dispose();
        _stop.Dispose();
    }

    internal FaultRequest Log(RequestHead head, string? clientCertificate, int? ruleId, FaultKind? fault)
    {
        var headers = head.Headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        var entry = new FaultRequest
        {
            Sequence = Interlocked.Increment(ref _sequence),
            ReceivedAt = DateTimeOffset.UtcNow,
            ElapsedMilliseconds = _clock.Elapsed.TotalMilliseconds,
            Method = head.Method,
            Target = head.Target,
            Headers = headers,
            ClientCertificate = clientCertificate,
            RuleId = ruleId,
            Fault = fault,
        };
        _requests.Enqueue(entry);
        return entry;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            client.NoDelay = true;
            var connection = new ProxyConnection(this, client);
            _connections[client] = Task.Run(async () =>
            {
                await connection.RunAsync(_stop.Token).ConfigureAwait(false);
                _connections.TryRemove(client, out _);
            });
        }
    }
}
