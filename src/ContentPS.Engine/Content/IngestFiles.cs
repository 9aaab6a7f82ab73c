using System.Globalization;
using System.Text;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>
/// The small files of one ingest folder. Each is replaced whole (temp file + rename), so a crash never
/// leaves one torn; none is fsynced, because a partial ingest that does not add up is started over anyway.
/// <c>ref</c> is written last and removed first: an ingest without it is incomplete and is not listed.
/// </summary>
internal static class IngestFiles
{
    public const string Ref = "ref";
    public const string Data = "data";
    public const string Total = "total";
    public const string Expected = "expected";
    public const string StartedAt = "startedat";
    public const string UpdatedAt = "updatedat";
    /// <summary>How many bytes the writer had written when it last checkpointed (data may be longer, never shorter).</summary>
    public const string Offset = "offset";
    public const string Lock = "lock";

    public static void WriteText(string directory, string name, string text)
    {
        var path = Path.Combine(directory, name);
        var temp = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, Encoding.UTF8.GetBytes(text));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static string? ReadText(string directory, string name)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, name), Encoding.UTF8);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTime(string? text) =>
        text is not null && DateTimeOffset.TryParseExact(text.Trim(), "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    public static long? ParseInt64(string? text) =>
        text is not null && long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static string FormatInt64(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static Digest? ParseDigest(string? text) => Digest.TryParse(text?.Trim(), out var digest) ? digest : null;
}
