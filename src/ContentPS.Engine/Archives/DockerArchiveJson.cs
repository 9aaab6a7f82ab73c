using System.Text.Encodings.Web;
using System.Text.Json;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Archives;

/// <summary>One entry of a docker archive's <c>manifest.json</c>: paths inside the archive.</summary>
internal sealed record DockerArchiveEntry(string Config, IReadOnlyList<string> RepoTags, IReadOnlyList<string> Layers);

/// <summary>
/// The JSON files of a <c>docker save</c> archive: <c>manifest.json</c> (an array of
/// <c>{"Config","RepoTags","Layers"}</c>; docker's optional <c>LayerSources</c> and <c>Parent</c> are not
/// written and are ignored when read) and the legacy <c>repositories</c> (repository → tag → top layer id),
/// which <c>docker load</c> reads only when there is no manifest.json.
/// </summary>
internal static class DockerArchiveJson
{
    public const string ManifestFileName = "manifest.json";
    public const string RepositoriesFileName = "repositories";

    private static readonly JsonWriterOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] WriteManifest(IReadOnlyList<DockerArchiveEntry> entries) => Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var entry in entries)
        {
            writer.WriteStartObject();
            writer.WriteString("Config", entry.Config);
            WriteStrings(writer, "RepoTags", entry.RepoTags);
            WriteStrings(writer, "Layers", entry.Layers);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });

    /// <summary><paramref name="tags"/>: repository (familiar name), tag, id of the top layer.</summary>
    public static byte[] WriteRepositories(IEnumerable<(string Repository, string Tag, string TopLayer)> tags) => Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var repository in tags.GroupBy(t => t.Repository, StringComparer.Ordinal))
        {
            writer.WriteStartObject(repository.Key);
            foreach (var (_, tag, top) in repository.DistinctBy(t => t.Tag, StringComparer.Ordinal))
            {
                writer.WriteString(tag, top);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    });

    /// <summary>The entries of a manifest.json; InvalidArgument (<c>ArchiveInvalid</c>) when it is not one.</summary>
    public static IReadOnlyList<DockerArchiveEntry> ReadManifest(byte[] body, string archive)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array) throw Invalid(archive, "it is not a JSON array");
            var entries = new List<DockerArchiveEntry>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object
                    || !element.TryGetProperty("Config", out var config) || config.ValueKind != JsonValueKind.String
                    || !element.TryGetProperty("Layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
                {
                    throw Invalid(archive, "an entry lacks Config or Layers");
                }
                entries.Add(new DockerArchiveEntry(config.GetString()!, Strings(element, "RepoTags", archive), Strings(element, "Layers", archive)));
            }
            return entries;
        }
        catch (JsonException ex)
        {
            throw Invalid(archive, ex.Message, ex);
        }
    }

    private static IReadOnlyList<string> Strings(JsonElement element, string property, string archive)
    {
        if (!element.TryGetProperty(property, out var array) || array.ValueKind == JsonValueKind.Null) return [];
        if (array.ValueKind != JsonValueKind.Array) throw Invalid(archive, $"{property} is not an array");
        return array.EnumerateArray()
            .Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Invalid(archive, $"{property} holds a value that is not a string"))
            .ToList();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriteOptions))
        {
            write(writer);
        }
        return buffer.ToArray();
    }

    private static InvalidArgumentException Invalid(string archive, string reason, Exception? inner = null) =>
        new($"{archive}: {ManifestFileName} is not a docker archive manifest: {reason}", ErrorIds.ArchiveInvalid, inner) { Target = archive };
}
