using System.Globalization;
using System.Text.Json;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>
/// The files of one ingest folder: <c>lock</c>, <c>data</c>, <c>ingest.json</c> (what is written: ref, expected
/// size and digest, start time; written once when the writer opens) and <c>checkpoint.json</c> (offset and
/// update time, about once a second while bytes arrive, absent until then). Few files on purpose: every
/// file created and deleted per blob costs the file system far more than the bytes of a small layer.
/// <c>ingest.json</c> is written in place and read without a lock: a torn or half-written file does not
/// parse, and a folder without a readable one is incomplete (not listed, not resumed, started over).
/// Rewrites of either file replace it whole (temp file + rename); none is fsynced, because a partial
/// ingest that does not add up is started over anyway.
/// </summary>
internal static class IngestFiles
{
    public const string Data = "data";
    public const string Info = "ingest.json";
    public const string Checkpoint = "checkpoint.json";
    public const string Lock = "lock";

    /// <summary>What <c>ingest.json</c> says.</summary>
    public sealed record IngestInfo(string Ref, long Total, Digest? Expected, bool ExpectedUnreadable, DateTimeOffset StartedAt);

    /// <summary>Writes <c>ingest.json</c>: in place when the folder has none yet, else replacing it whole.</summary>
    public static void WriteInfo(string directory, string reference, long total, Digest? expected, DateTimeOffset startedAt, bool replace)
    {
        var json = Serialize(writer =>
        {
            writer.WriteString("ref", reference);
            if (total > 0) writer.WriteNumber("total", total);
            if (expected is not null) writer.WriteString("expected", expected.ToString());
            writer.WriteString("startedAt", FormatTime(startedAt));
        });
        Write(directory, Info, json, replace);
    }

    /// <summary>Null when the file is missing, torn or not an ingest record.</summary>
    public static IngestInfo? ReadInfo(string directory)
    {
        using var document = ReadJson(directory, Info);
        if (document is null) return null;
        var root = document.RootElement;
        var reference = String(root, "ref");
        var startedAt = ParseTime(String(root, "startedAt"));
        if (reference is null || startedAt is null) return null;
        var expectedText = String(root, "expected");
        var expected = Digest.TryParse(expectedText, out var digest) ? digest : null;
        var total = root.TryGetProperty("total", out var t) && t.TryGetInt64(out var value) && value > 0 ? value : 0;
        return new IngestInfo(reference, total, expected, expectedText is not null && expected is null, startedAt.Value);
    }

    /// <summary>Replaces <c>checkpoint.json</c> with the writer's offset and update time.</summary>
    public static void WriteCheckpoint(string directory, long offset, DateTimeOffset updatedAt)
    {
        var json = Serialize(writer =>
        {
            writer.WriteNumber("offset", offset);
            writer.WriteString("updatedAt", FormatTime(updatedAt));
        });
        Write(directory, Checkpoint, json, replace: true);
    }

    /// <summary>The last checkpoint; (0, null) when there is none or it cannot be read.</summary>
    public static (long Offset, DateTimeOffset? UpdatedAt) ReadCheckpoint(string directory)
    {
        using var document = ReadJson(directory, Checkpoint);
        if (document is null) return (0, null);
        var root = document.RootElement;
        var offset = root.TryGetProperty("offset", out var o) && o.TryGetInt64(out var value) && value >= 0 ? value : 0;
        return (offset, ParseTime(String(root, "updatedAt")));
    }

    private static byte[] Serialize(Action<Utf8JsonWriter> properties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void Write(string directory, string name, byte[] content, bool replace)
    {
        var path = Path.Combine(directory, name);
        if (!replace)
        {
            WriteFile(path, content);
            return;
        }
        var temp = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            WriteFile(temp, content);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    // A raw handle: FileStream would add an advisory lock and an fstat per file, and these files are tiny.
    private static void WriteFile(string path, byte[] content)
    {
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.Write(handle, content, 0);
    }

    private static JsonDocument? ReadJson(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        // A fresh ingest has neither file: a stat is far cheaper than the exception a missing file throws.
        if (!File.Exists(path)) return null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(string? text) =>
        text is not null && DateTimeOffset.TryParseExact(text.Trim(), "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}
