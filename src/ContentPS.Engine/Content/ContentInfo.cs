using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>What the store knows about one committed blob (containerd's content.Info).</summary>
public sealed record ContentInfo
{
    public required Digest Digest { get; init; }
    public required long Size { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
