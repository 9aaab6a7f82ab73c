using System.Text.Json;

namespace ContentPS.Engine.Errdefs;

public static partial class RegistryErrors
{
    /// <summary>
    /// The entries of an OCI distribution error body. Never throws: an empty, HTML, malformed or
    /// differently shaped body gives an empty list, and entries that are not objects are skipped.
    /// </summary>
    /// <param name="contentType">
    /// A hint only: registries and proxies label JSON errors inconsistently (text/plain,
    /// none at all), so the body's shape decides.
    /// </param>
    public static IReadOnlyList<RegistryError> ParseErrorBody(string? contentType, string? body)
    {
        _ = contentType;
        if (string.IsNullOrWhiteSpace(body) || !body.TrimStart().StartsWith('{')) return [];

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("errors", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var errors = new List<RegistryError>();
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object) continue;
                errors.Add(new RegistryError(
                    StringProperty(entry, "code"),
                    StringProperty(entry, "message"),
                    entry.TryGetProperty("detail", out var detail) && detail.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
                        ? detail.GetRawText()
                        : null));
            }
            return errors;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
