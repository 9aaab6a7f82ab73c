using System.Globalization;
using System.Text.Json;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>
/// <c>&lt;key&gt;.json</c>, what an ingest says about itself: ref, expected size and digest, start time, the
/// last checkpointed offset and update time, and who holds it (process and since when). Always replaced
/// whole (temp file + rename), so readers take no lock and a file that does not parse (a crash before
/// its bytes reached the disk) only makes the ingest incomplete: not listed, not resumed, started over.
/// Not fsynced: a partial ingest that does not add up is started over anyway.
/// </summary>
internal static class IngestRecordFile
{
    /// <summary>The content of a record.</summary>
    public sealed record Content(
        string Ref, long Total, Digest? Expected, bool ExpectedUnreadable, DateTimeOffset StartedAt,
        long Offset, DateTimeOffset UpdatedAt, int HolderProcessId, DateTimeOffset? HolderSince);

    public static void Write(string path, Content record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("ref", record.Ref);
            if (record.Total > 0) writer.WriteNumber("total", record.Total);
            if (record.Expected is not null) writer.WriteString("expected", record.Expected.ToString());
            writer.WriteString("startedAt", FormatTime(record.StartedAt));
            writer.WriteNumber("offset", record.Offset);
            writer.WriteString("updatedAt", FormatTime(record.UpdatedAt));
            if (record.HolderSince is { } since)
            {
                writer.WriteStartObject("holder");
                writer.WriteNumber("pid", record.HolderProcessId);
                writer.WriteString("since", FormatTime(since));
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }

        var directory = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            // A raw handle: FileStream would add an advisory lock and an fstat, and the file is tiny.
            using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(handle, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), 0);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Null when the file is missing, torn or not an ingest record.</summary>
    public static Content? Read(string path)
    {
        // Most ingests are short and never get a record: a stat is far cheaper than a thrown FileNotFoundException.
        if (!File.Exists(path)) return null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object ? Parse(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Content? Parse(JsonElement root)
    {
        var reference = String(root, "ref");
        var startedAt = ParseTime(String(root, "startedAt"));
        if (reference is null || startedAt is null) return null;
        var expectedText = String(root, "expected");
        var expected = Digest.TryParse(expectedText, out var digest) ? digest : null;
        var total = Number(root, "total");
        var offset = Number(root, "offset");
        var updatedAt = ParseTime(String(root, "updatedAt")) ?? startedAt.Value;
        int pid = 0;
        DateTimeOffset? since = null;
        if (root.TryGetProperty("holder", out var holder) && holder.ValueKind == JsonValueKind.Object)
        {
            pid = holder.TryGetProperty("pid", out var p) && p.TryGetInt32(out var value) && value > 0 ? value : 0;
            since = ParseTime(String(holder, "since"));
        }
        return new Content(reference, total, expected, expectedText is not null && expected is null, startedAt.Value, offset, updatedAt, pid, since);
    }

    private static long Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.TryGetInt64(out var value) && value > 0 ? value : 0;

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(string? text) =>
        text is not null && DateTimeOffset.TryParseExact(text.Trim(), "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}
