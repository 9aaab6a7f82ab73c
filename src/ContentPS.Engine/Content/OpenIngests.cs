using System.Collections.Concurrent;

namespace ContentPS.Engine.Content;

/// <summary>
/// The writers open in this process, by data path. A short ingest writes no record (see
/// <see cref="LocalContentWriter"/>), so this is how every store instance of the process sees it at once;
/// other processes see it when its record is written.
/// </summary>
internal static class OpenIngests
{
    private static readonly ConcurrentDictionary<string, LocalContentWriter> Writers = new(StringComparer.Ordinal);

    public static void Add(IngestFiles files, LocalContentWriter writer) => Writers[files.Data] = writer;

    public static void Remove(IngestFiles files, LocalContentWriter writer) =>
        Writers.TryRemove(new KeyValuePair<string, LocalContentWriter>(files.Data, writer));

    public static LocalContentWriter? Find(IngestFiles files) => Writers.TryGetValue(files.Data, out var writer) ? writer : null;

    /// <summary>The open writers whose data lives in <paramref name="ingestDirectory"/>, by key.</summary>
    public static IEnumerable<(string Key, LocalContentWriter Writer)> In(string ingestDirectory)
    {
        foreach (var (path, writer) in Writers)
        {
            if (string.Equals(Path.GetDirectoryName(path), ingestDirectory, StringComparison.Ordinal))
            {
                yield return (Path.GetFileNameWithoutExtension(path), writer);
            }
        }
    }
}
