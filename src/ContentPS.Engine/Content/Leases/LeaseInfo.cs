using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content.Leases;

/// <summary>A lease as any process sees it on disk.</summary>
public sealed record LeaseInfo
{
    public required string Id { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>When the lease stops protecting anything (its <c>containerd.io/gc.expire</c> label); null: never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>True while its owner process holds the lease's lock (a crashed owner's lease is not alive).</summary>
    public required bool Alive { get; init; }

    /// <summary>The owner's process id (0 when unknown).</summary>
    public int ProcessId { get; init; }

    /// <summary>The content the lease protects.</summary>
    public IReadOnlyList<Digest> Content { get; init; } = [];

    /// <summary>The ingests the lease protects, by their folder name (<see cref="StoreLayout.IngestKey"/> of the ref).</summary>
    public IReadOnlyList<string> IngestKeys { get; init; } = [];

    /// <summary>True when the lease protects its resources at <paramref name="now"/>: alive and not expired.</summary>
    public bool Protects(DateTimeOffset now) => Alive && (ExpiresAt is null || ExpiresAt > now);
}
