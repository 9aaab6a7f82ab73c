using System.Text.Json;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Tests.Oci.Platforms;

/// <summary>
/// The lines of the containerd/platforms oracle files in testdata/ (see testdata/README.md),
/// loaded once from the test output folder.
/// </summary>
internal static class OracleData
{
    /// <summary>The host the oracle ran on; host-dependent lines assume it.</summary>
    public static readonly Platform OracleHost = new() { OS = "linux", Architecture = "amd64" };

    private static readonly Dictionary<string, JsonElement[]> Files = new();

    public static JsonElement[] Lines(string file)
    {
        lock (Files)
        {
            if (!Files.TryGetValue(file, out var lines))
            {
                var path = Path.Combine(AppContext.BaseDirectory, "Oci", "Platforms", "testdata", file);
                lines = File.ReadAllLines(path)
                    .Where(l => l.Length > 0)
                    .Select(l => JsonDocument.Parse(l).RootElement.Clone())
                    .ToArray();
                Files[file] = lines;
            }

            return lines;
        }
    }

    public static Platform ToPlatform(JsonElement e) =>
        e.Deserialize<Platform>() ?? throw new InvalidDataException("null platform");

    public static Platform? OptionalPlatform(JsonElement line, string property) =>
        line.TryGetProperty(property, out var e) ? ToPlatform(e) : null;

    public static string? OptionalString(JsonElement line, string property) =>
        line.TryGetProperty(property, out var e) ? e.GetString() : null;

    /// <summary>Exact field comparison: Go omits empty fields, and our results use null for them.</summary>
    public static void AssertSame(Platform expected, Platform actual, string context)
    {
        Assert.True(expected.OS == actual.OS, $"{context}: os {Show(expected.OS)} != {Show(actual.OS)}");
        Assert.True(expected.Architecture == actual.Architecture, $"{context}: architecture {Show(expected.Architecture)} != {Show(actual.Architecture)}");
        Assert.True(expected.Variant == actual.Variant, $"{context}: variant {Show(expected.Variant)} != {Show(actual.Variant)}");
        Assert.True(expected.OSVersion == actual.OSVersion, $"{context}: os.version {Show(expected.OSVersion)} != {Show(actual.OSVersion)}");
        var ef = expected.OSFeatures is null ? "null" : "[" + string.Join(",", expected.OSFeatures.Select(Show)) + "]";
        var af = actual.OSFeatures is null ? "null" : "[" + string.Join(",", actual.OSFeatures.Select(Show)) + "]";
        Assert.True(ef == af, $"{context}: os.features {ef} != {af}");
    }

    private static string Show(string? s) => s is null ? "null" : JsonSerializer.Serialize(s);
}
