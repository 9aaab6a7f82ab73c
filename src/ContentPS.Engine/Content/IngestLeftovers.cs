namespace ContentPS.Engine.Content;

/// <summary>
/// What interrupted work leaves in <c>ingest/</c> besides ingests: record temp files (<c>.*.tmp</c>) of a
/// process that died mid-rename, and the folders of the earlier layout (<c>&lt;key&gt;/</c>, <c>.trash-*</c>),
/// whose partial writes this engine no longer resumes. Removed when an ingest is aborted.
/// </summary>
internal static class IngestLeftovers
{
    private static readonly TimeSpan TempFileAge = TimeSpan.FromMinutes(10);

    public static void Sweep(string ingestDirectory)
    {
        try
        {
            foreach (var directory in Directory.EnumerateDirectories(ingestDirectory).ToList())
            {
                var name = Path.GetFileName(directory);
                var legacy = name.StartsWith(".trash-", StringComparison.Ordinal) || IngestFiles.IsKey(name);
                if (legacy && !FileLock.IsHeld(Path.Combine(directory, "lock"))) TryDeleteDirectory(directory);
            }
            var old = DateTime.UtcNow - TempFileAge;
            foreach (var temp in Directory.EnumerateFiles(ingestDirectory, ".*.tmp").ToList())
            {
                if (File.GetLastWriteTimeUtc(temp) < old) File.Delete(temp);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
