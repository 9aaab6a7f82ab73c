using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images;

/// <summary>
/// A store's <c>index.json</c> as a JSON tree, so that a rewrite keeps everything this engine does not
/// model: unknown fields, descriptors without a ref name, platforms, annotations.
/// </summary>
internal sealed class IndexDocument
{
    private static readonly JsonDocumentOptions ReadOptions = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };
    private static readonly JsonWriterOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private IndexDocument(JsonObject root, JsonArray manifests)
    {
        Root = root;
        Manifests = manifests;
    }

    public JsonObject Root { get; }

    public JsonArray Manifests { get; }

    public static IndexDocument Empty()
    {
        var manifests = new JsonArray();
        var root = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = manifests,
        };
        return new IndexDocument(root, manifests);
    }

    /// <summary>Reads <paramref name="path"/>; an absent file is an empty index.</summary>
    public static async Task<IndexDocument> ReadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Empty();
        }
        return Parse(bytes, path);
    }

    public static IndexDocument Parse(byte[] bytes, string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, documentOptions: ReadOptions);
        }
        catch (JsonException ex)
        {
            throw Corrupt(path, ex.Message, ex);
        }
        if (node is not JsonObject root) throw Corrupt(path, "the document is not a JSON object");
        switch (root["manifests"])
        {
            case null:
                root["manifests"] = new JsonArray();
                break;
            case JsonArray:
                break;
            default:
                throw Corrupt(path, "\"manifests\" is not an array");
        }
        return new IndexDocument(root, (JsonArray)root["manifests"]!);
    }

    /// <summary>The ref name of a manifests entry, or null when it has none (or is not an object).</summary>
    public static string? RefNameOf(JsonNode? entry) =>
        entry is JsonObject o && o["annotations"] is JsonObject annotations
            && annotations[AnnotationKeys.RefName] is JsonValue value && value.TryGetValue<string>(out var name)
            ? name
            : null;

    /// <summary>The entry as a descriptor, or null when it is not a readable one.</summary>
    public static Descriptor? DescriptorOf(JsonNode? entry)
    {
        if (entry is not JsonObject) return null;
        try
        {
            var descriptor = entry.Deserialize(OciJsonContext.Default.Descriptor);
            return descriptor is { Digest: not null, MediaType: not null } ? descriptor : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ClassifiedException)
        {
            return null;
        }
    }

    public static JsonNode ToNode(Descriptor descriptor) => JsonSerializer.SerializeToNode(descriptor, OciJsonContext.Relaxed.Descriptor)!;

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriteOptions))
        {
            Root.WriteTo(writer);
        }
        return buffer.ToArray();
    }

    private static DataLossException Corrupt(string path, string reason, Exception? inner = null) =>
        new($"the image index {path} is corrupt: {reason}", ErrorIds.CorruptMetadata, inner) { Target = path };
}
