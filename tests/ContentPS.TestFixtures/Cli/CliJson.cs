using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContentPS.TestFixtures.Cli;

/// <summary>One-line camelCase JSON for the CLI's stdout.</summary>
internal static class CliJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly JsonSerializerOptions WithNulls = new(Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Writes <paramref name="value"/> as one line; null properties are left out unless <paramref name="includeNulls"/>.</summary>
    public static void WriteLine<T>(T value, bool includeNulls = false)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(value, includeNulls ? WithNulls : Options));
        Console.Out.Flush();
    }
}
