namespace ContentPS.TestFixtures;

/// <summary>One request a <see cref="FaultProxy"/> received (control requests under <c>/_fault/</c> are not logged).</summary>
public sealed class FaultRequest
{
    private int _status;

    /// <summary>1 for the first request the proxy received, then 2, 3 …</summary>
    public required int Sequence { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Time since the proxy started, from a monotonic clock: compare these, not <see cref="ReceivedAt"/>.</summary>
    public required double ElapsedMilliseconds { get; init; }

    public required string Method { get; init; }

    /// <summary>Path and query as sent (<c>/v2/repo/manifests/latest</c>).</summary>
    public required string Target { get; init; }

    /// <summary>Every request header (repeated headers joined with ", "), Authorization included.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public bool HasAuthorization => Headers.ContainsKey("Authorization");

    public string? Authorization => Headers.GetValueOrDefault("Authorization");

    public string? Range => Headers.GetValueOrDefault("Range");

    /// <summary>The subject of the client certificate of the TLS connection, or null (plain HTTP, none sent).</summary>
    public string? ClientCertificate { get; init; }

    /// <summary>The id of the rule that applied (<see cref="FaultProxy.AddRule"/>), or null when forwarded untouched.</summary>
    public int? RuleId { get; init; }

    public FaultKind? Fault { get; init; }

    /// <summary>The status sent back, or 0 when none was (yet): a <see cref="FaultKind.Disconnect"/> or an upstream failure.</summary>
    public int Status
    {
        get => Volatile.Read(ref _status);
        internal set => Volatile.Write(ref _status, value);
    }
}
