using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ContentPS.TestFixtures;

/// <summary>Writes the JSON documents of an image layout (configs, manifests, indexes, index.json) by hand.</summary>
internal static class LayoutJson
{
    public const string Created = "2024-01-01T00:00:00Z";

    public static byte[] Config(string platform, IEnumerable<string> diffIds, string comment)
    {
        var (os, architecture, variant) = ParsePlatform(platform);
        var ids = diffIds.ToList();
        return Write(w =>
        {
            w.WriteString("created", Created);
            w.WriteString("architecture", architecture);
            w.WriteString("os", os);
            if (variant is not null)
            {
                w.WriteString("variant", variant);
            }

            w.WriteStartObject("config");
            w.WriteStartArray("Env");
            w.WriteStringValue("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            w.WriteEndArray();
            w.WriteStartArray("Cmd");
            w.WriteStringValue("/bin/sh");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("rootfs");
            w.WriteString("type", "layers");
            w.WriteStartArray("diff_ids");
            foreach (var id in ids)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("history");
            for (var i = 0; i < ids.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("created", Created);
                w.WriteString("created_by", $"{comment} layer {i}");
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    public static byte[] Manifest(
        string mediaType,
        LayoutBlob config,
        IEnumerable<LayoutBlob> layers,
        string? artifactType = null,
        LayoutBlob? subject = null,
        IReadOnlyDictionary<string, string>? annotations = null) => Write(w =>
    {
        w.WriteNumber("schemaVersion", 2);
        w.WriteString("mediaType", mediaType);
        if (artifactType is not null)
        {
            w.WriteString("artifactType", artifactType);
        }

        w.WritePropertyName("config");
        Descriptor(w, config, withPlatform: false);
        w.WriteStartArray("layers");
        foreach (var layer in layers)
        {
            Descriptor(w, layer, withPlatform: false);
        }

        w.WriteEndArray();
        if (subject is not null)
        {
            w.WritePropertyName("subject");
            Descriptor(w, subject with { Annotations = null, ArtifactType = null }, withPlatform: false);
        }

        Annotations(w, annotations);
    });

    public static byte[] Index(string mediaType, IEnumerable<LayoutBlob> manifests, IReadOnlyDictionary<string, string>? annotations = null) => Write(w =>
    {
        w.WriteNumber("schemaVersion", 2);
        w.WriteString("mediaType", mediaType);
        w.WriteStartArray("manifests");
        foreach (var manifest in manifests)
        {
            Descriptor(w, manifest, withPlatform: true);
        }

        w.WriteEndArray();
        Annotations(w, annotations);
    });

    public static (string OS, string Architecture, string? Variant) ParsePlatform(string platform)
    {
        var parts = platform.Split('/');
        return parts.Length switch
        {
            2 => (parts[0], parts[1], null),
            3 => (parts[0], parts[1], parts[2]),
            _ => throw new ArgumentException($"Platform '{platform}' is not os/architecture[/variant].", nameof(platform)),
        };
    }

    private static void Descriptor(Utf8JsonWriter w, LayoutBlob blob, bool withPlatform)
    {
        w.WriteStartObject();
        w.WriteString("mediaType", blob.MediaType);
        w.WriteString("digest", blob.Digest);
        w.WriteNumber("size", blob.Size);
        if (blob.ArtifactType is not null)
        {
            w.WriteString("artifactType", blob.ArtifactType);
        }

        if (withPlatform && blob.Platform is not null)
        {
            var (os, architecture, variant) = ParsePlatform(blob.Platform);
            w.WriteStartObject("platform");
            w.WriteString("architecture", architecture);
            w.WriteString("os", os);
            if (variant is not null)
            {
                w.WriteString("variant", variant);
            }

            w.WriteEndObject();
        }

        Annotations(w, blob.Annotations);
        w.WriteEndObject();
    }

    private static void Annotations(Utf8JsonWriter w, IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null || annotations.Count == 0)
        {
            return;
        }

        w.WriteStartObject("annotations");
        foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
