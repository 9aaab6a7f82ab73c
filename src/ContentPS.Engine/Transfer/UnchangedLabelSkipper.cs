using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer;

/// <summary>
/// The store as a pull's label handlers see it: an update of <c>labels.&lt;key&gt;</c> field paths that would
/// leave every one of those labels as it is writes nothing. Pulling content that is present derives the same
/// garbage-collection labels for every manifest and index again, and each write is a locked, fsynced file
/// replacement; skipping it makes a pull of a complete image cost reads only (besides its lease and record).
/// </summary>
internal sealed class UnchangedLabelSkipper(IContentManager store) : IContentManager
{
    private const string LabelPrefix = "labels.";

    public Task<ContentInfo> InfoAsync(Digest digest, CancellationToken cancellationToken = default) =>
        store.InfoAsync(digest, cancellationToken);

    public async Task<ContentInfo> UpdateAsync(ContentInfo info, IReadOnlyList<string>? fieldPaths = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (fieldPaths is { Count: > 0 } && fieldPaths.All(path => path.StartsWith(LabelPrefix, StringComparison.Ordinal) && path.Length > LabelPrefix.Length))
        {
            var current = await store.InfoAsync(info.Digest, cancellationToken).ConfigureAwait(false);
            if (fieldPaths.All(path => Unchanged(path[LabelPrefix.Length..], info.Labels, current.Labels)))
            {
                return current;
            }
        }

        return await store.UpdateAsync(info, fieldPaths, cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<ContentInfo> WalkAsync(IReadOnlyList<string>? filters = null, CancellationToken cancellationToken = default) =>
        store.WalkAsync(filters, cancellationToken);

    public Task DeleteAsync(Digest digest, CancellationToken cancellationToken = default) => store.DeleteAsync(digest, cancellationToken);

    // An empty or missing wanted value removes the label: unchanged when it is absent already.
    private static bool Unchanged(string key, IReadOnlyDictionary<string, string> wanted, IReadOnlyDictionary<string, string> current)
    {
        var want = wanted.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;
        return current.TryGetValue(key, out var have) ? string.Equals(want, have, StringComparison.Ordinal) : want is null;
    }
}
