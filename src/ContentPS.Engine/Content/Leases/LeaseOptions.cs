namespace ContentPS.Engine.Content.Leases;

/// <summary>How <see cref="LeaseManager.CreateAsync"/> makes a lease; every member is optional.</summary>
public sealed record LeaseOptions
{
    /// <summary>The lease's id (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>; at most 128; not starting with <c>.</c>); null: a generated one.</summary>
    public string? Id { get; init; }

    /// <summary>Labels kept with the lease (see <see cref="LeaseInfo.Labels"/>).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>
    /// After this long the collector ignores and removes the lease even while its owner lives (containerd's
    /// <c>containerd.io/gc.expire</c> label, which is how it is stored); null: the lease lives as long as its owner.
    /// </summary>
    public TimeSpan? Expiration { get; init; }
}
