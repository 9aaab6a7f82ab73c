namespace ContentPS.Engine.Content;

/// <summary>
/// The fsyncs of folders that make a new blob or label file's name durable. One per file costs a disk write
/// per blob; an operation that commits many blobs and then writes something that depends on all of them
/// (a pull, then its image record) opens a deferral: while one is open for a store, the folders are
/// remembered instead, and <see cref="Flush"/> (or closing the last deferral) syncs each once. A crash before
/// that loses only names of content nothing durable refers to yet: the blobs' bytes were synced before
/// their names were made, so what survives is right, and what is lost is fetched again.
/// </summary>
internal static class DirectorySyncs
{
    private static readonly Dictionary<string, Deferral> Deferrals = new(StringComparer.Ordinal);

    /// <summary>Syncs <paramref name="directory"/> of the store at <paramref name="storeRoot"/>, now or at the next flush of an open deferral.</summary>
    public static void Sync(string storeRoot, string directory)
    {
        lock (Deferrals)
        {
            if (Deferrals.TryGetValue(Key(storeRoot), out var deferral))
            {
                deferral.Dirty.Add(directory);
                return;
            }
        }
        AtomicFile.SyncDirectory(directory);
    }

    /// <summary>Defers folder syncs of the store at <paramref name="storeRoot"/> until the scope is disposed or flushed.</summary>
    public static IDisposable Defer(string storeRoot)
    {
        var key = Key(storeRoot);
        lock (Deferrals)
        {
            if (!Deferrals.TryGetValue(key, out var deferral))
            {
                deferral = new Deferral();
                Deferrals[key] = deferral;
            }
            deferral.Scopes++;
        }
        return new Scope(key);
    }

    /// <summary>Syncs every folder remembered for the store so far.</summary>
    public static void Flush(string storeRoot)
    {
        List<string> dirty;
        lock (Deferrals)
        {
            if (!Deferrals.TryGetValue(Key(storeRoot), out var deferral)) return;
            dirty = [.. deferral.Dirty];
            deferral.Dirty.Clear();
        }
        foreach (var directory in dirty)
        {
            AtomicFile.SyncDirectory(directory);
        }
    }

    /// <summary>The folders waiting for a flush (for tests and diagnostics).</summary>
    public static IReadOnlyList<string> Pending(string storeRoot)
    {
        lock (Deferrals)
        {
            return Deferrals.TryGetValue(Key(storeRoot), out var deferral) ? [.. deferral.Dirty.Order(StringComparer.Ordinal)] : [];
        }
    }

    private static string Key(string storeRoot) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(storeRoot));

    private sealed class Deferral
    {
        public int Scopes { get; set; }
        public HashSet<string> Dirty { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Scope(string key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            List<string> dirty;
            lock (Deferrals)
            {
                var deferral = Deferrals[key];
                // The last scope takes what is left, and later syncs are done at once again.
                if (--deferral.Scopes > 0) return;
                Deferrals.Remove(key);
                dirty = [.. deferral.Dirty];
            }
            foreach (var directory in dirty)
            {
                AtomicFile.SyncDirectory(directory);
            }
        }
    }
}
