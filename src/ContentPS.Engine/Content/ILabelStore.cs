using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>Labels of one blob and when they last changed (null when never set).</summary>
public sealed record LabelSet(IReadOnlyDictionary<string, string> Labels, DateTimeOffset? UpdatedAt)
{
    public static LabelSet Empty { get; } = new(new Dictionary<string, string>(), null);
}

/// <summary>Labels of committed blobs: durable, and consistent across every process sharing the store.</summary>
public interface ILabelStore
{
    Task<LabelSet> GetAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies containerd's field paths: null, empty or "labels" replaces every label with
    /// <paramref name="labels"/>; "labels.&lt;key&gt;" sets that key from <paramref name="labels"/> (absent or
    /// empty value deletes it). Any other path is InvalidArgument. Returns the labels after the update.
    /// </summary>
    Task<LabelSet> UpdateAsync(Digest digest, IReadOnlyDictionary<string, string> labels, IReadOnlyList<string>? fieldPaths = null, CancellationToken cancellationToken = default);

    /// <summary>Forgets a blob's labels (when the blob is deleted); absent labels are not an error.</summary>
    Task RemoveAsync(Digest digest, CancellationToken cancellationToken = default);
}
