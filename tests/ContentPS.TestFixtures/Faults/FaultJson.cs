using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContentPS.TestFixtures;

/// <summary>The camelCase JSON of fault rules and the request log (control endpoint and CLI).</summary>
public static class FaultJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>One rule object or an array of them.</summary>
    public static IReadOnlyList<FaultRule> ParseRules(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.Deserialize<List<FaultRule>>(Options) ?? []
            : [document.RootElement.Deserialize<FaultRule>(Options) ?? throw new JsonException("A rule is null.")];
    }
}
