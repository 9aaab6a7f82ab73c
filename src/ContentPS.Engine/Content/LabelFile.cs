using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Content;

/// <summary>The JSON of one blob's labels: <c>{"labels":{"k":"v",…},"updatedAt":"2026-01-02T03:04:05.0000000+00:00"}</c>.</summary>
internal static class LabelFile
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(IReadOnlyDictionary<string, string> labels, DateTimeOffset updatedAt)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("labels");
            foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
            writer.WriteString("updatedAt", updatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a label file; throws <see cref="DataLossException"/> (<c>CorruptMetadata</c>) when it is not one.</summary>
    public static LabelSet Deserialize(ReadOnlySpan<byte> json, string path)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Corrupt(path, "the document is not an object");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("labels", out var labelsElement) && labelsElement.ValueKind != JsonValueKind.Null)
            {
                if (labelsElement.ValueKind != JsonValueKind.Object) throw Corrupt(path, "\"labels\" is not an object");
                foreach (var property in labelsElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String) throw Corrupt(path, $"label \"{property.Name}\" is not a string");
                    labels[property.Name] = property.Value.GetString()!;
                }
            }
            DateTimeOffset? updatedAt = null;
            if (root.TryGetProperty("updatedAt", out var updatedElement) && updatedElement.ValueKind != JsonValueKind.Null)
            {
                if (updatedElement.ValueKind != JsonValueKind.String
                    || !DateTimeOffset.TryParse(updatedElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
                {
                    throw Corrupt(path, "\"updatedAt\" is not a timestamp");
                }
                updatedAt = parsed;
            }
            return new LabelSet(labels, updatedAt);
        }
        catch (JsonException ex)
        {
            throw Corrupt(path, ex.Message, ex);
        }
    }

    private static DataLossException Corrupt(string path, string reason, Exception? inner = null) =>
        new($"the label file {path} is corrupt: {reason}", ErrorIds.CorruptMetadata, inner) { Target = path };
}
