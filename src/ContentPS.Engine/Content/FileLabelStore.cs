using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>
/// Labels kept as one JSON file per blob, <c>&lt;root&gt;/contentps/labels/&lt;alg&gt;/&lt;hex&gt;.json</c>
/// (see <see cref="LabelFile"/>). Every update is a read-modify-write under an OS file lock shared by
/// every process and released by the OS when a holder dies, and replaces the file atomically
/// (<see cref="AtomicFile"/>), so readers take no lock and never see a torn file, and no update is lost.
/// The locks are 16 files per algorithm, <c>locks/&lt;first hex digit&gt;.lock</c>, created once and left
/// in place (deleting a lock file that another process is waiting on would let two holders in): a lock
/// file per blob would cost a file creation per pulled blob and pile up forever. Threads of one process
/// queue for a stripe in memory before taking its file lock (<see cref="StripeLock"/>).
/// </summary>
public sealed class FileLabelStore : ILabelStore
{
    private const string LabelsPrefix = "labels";

    public FileLabelStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        LabelsDirectory = Path.Combine(Root, "contentps", "labels");
    }

    /// <summary>The store root.</summary>
    public string Root { get; }

    /// <summary>Where the label files live: <c>&lt;root&gt;/contentps/labels</c>.</summary>
    public string LabelsDirectory { get; }

    /// <summary>The label file of <paramref name="digest"/> (which must be storable: sha256 or sha512).</summary>
    public string PathOf(Digest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        digest.EnsureStorable();
        return Path.Combine(LabelsDirectory, digest.Algorithm, digest.Encoded + ".json");
    }

    /// <summary>The lock file that guards the label file of <paramref name="digest"/> (shared with 1/16 of the digests).</summary>
    public string LockPathOf(Digest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        digest.EnsureStorable();
        return Path.Combine(LabelsDirectory, digest.Algorithm, "locks", digest.Encoded[..1] + ".lock");
    }

    public async Task<LabelSet> GetAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var path = PathOf(digest);
        return await ReadAsync(path, cancellationToken).ConfigureAwait(false);
    }

    public async Task<LabelSet> UpdateAsync(
        Digest digest,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyList<string>? fieldPaths = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var path = PathOf(digest);
        var changes = Plan(labels, fieldPaths);

        using var held = await StripeLock.AcquireAsync(LockPathOf(digest), cancellationToken).ConfigureAwait(false);
        var current = await ReadAsync(path, cancellationToken).ConfigureAwait(false);
        var updated = new Dictionary<string, string>(current.Labels, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            change(updated);
        }
        var now = DateTimeOffset.UtcNow;
        await AtomicFile.WriteAllBytesAsync(path, LabelFile.Serialize(updated, now), SyncDirectory, cancellationToken).ConfigureAwait(false);
        return new LabelSet(updated, now);
    }

    public async Task RemoveAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var path = PathOf(digest);
        if (!File.Exists(path)) return;
        using var held = await StripeLock.AcquireAsync(LockPathOf(digest), cancellationToken).ConfigureAwait(false);
        File.Delete(path);
        AtomicFile.SyncDirectory(Path.GetDirectoryName(path)!);
    }

    private void SyncDirectory(string directory) => DirectorySyncs.Sync(Root, directory);

    /// <summary>Validates everything before any lock is taken; returns the edits in field-path order.</summary>
    private static List<Action<Dictionary<string, string>>> Plan(IReadOnlyDictionary<string, string> labels, IReadOnlyList<string>? fieldPaths)
    {
        var changes = new List<Action<Dictionary<string, string>>>();
        if (fieldPaths is null || fieldPaths.Count == 0)
        {
            changes.Add(ReplaceAll(labels));
            return changes;
        }
        foreach (var fieldPath in fieldPaths)
        {
            if (string.IsNullOrEmpty(fieldPath) || fieldPath == LabelsPrefix)
            {
                changes.Add(ReplaceAll(labels));
            }
            else if (fieldPath.StartsWith(LabelsPrefix + ".", StringComparison.Ordinal) && fieldPath.Length > LabelsPrefix.Length + 1)
            {
                var key = fieldPath[(LabelsPrefix.Length + 1)..];
                if (labels.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value))
                {
                    LabelValidation.Validate(key, value);
                    changes.Add(l => l[key] = value);
                }
                else
                {
                    changes.Add(l => l.Remove(key));
                }
            }
            else
            {
                throw new InvalidArgumentException(
                    $"cannot update field path \"{fieldPath}\": only \"labels\" and \"labels.<key>\" can be updated",
                    ErrorIds.InvalidFieldPath) { Target = fieldPath };
            }
        }
        return changes;
    }

    /// <summary>containerd's full replace: labels with an empty value are dropped.</summary>
    private static Action<Dictionary<string, string>> ReplaceAll(IReadOnlyDictionary<string, string> labels)
    {
        var replacement = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            if (string.IsNullOrEmpty(value)) continue;
            LabelValidation.Validate(key, value);
            replacement[key] = value;
        }
        return l =>
        {
            l.Clear();
            foreach (var (key, value) in replacement) l[key] = value;
        };
    }

    private static async Task<LabelSet> ReadAsync(string path, CancellationToken cancellationToken)
    {
        // Most blobs have no labels: a stat is far cheaper than the exception a missing file throws.
        if (!File.Exists(path)) return LabelSet.Empty;
        byte[] json;
        try
        {
            json = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return LabelSet.Empty;
        }
        return LabelFile.Deserialize(json, path);
    }
}
