using System.Text.Json;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Archives;

/// <summary>
/// The Docker schema 2 manifest for an image of a docker archive, byte for byte as containers/image
/// (skopeo's <c>docker-archive:</c> source) serializes it, so both give it the same digest: compact JSON,
/// <c>schemaVersion</c>, <c>mediaType</c>, <c>config</c>, <c>layers</c>, each descriptor <c>mediaType</c>,
/// <c>size</c>, <c>digest</c>. The config is <see cref="MediaTypes.DockerConfig"/>; every layer is
/// <see cref="MediaTypes.DockerLayerGzip"/> as skopeo writes it whether or not the file is compressed
/// (consumers sniff the compression; Docker schema 2 has no uncompressed layer type registries accept).
/// </summary>
internal static class DockerSchema2
{
    public static byte[] Build(Descriptor config, IReadOnlyList<Descriptor> layers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.DockerManifest);
            writer.WritePropertyName("config");
            WriteDescriptor(writer, MediaTypes.DockerConfig, config);
            writer.WriteStartArray("layers");
            foreach (var layer in layers) WriteDescriptor(writer, MediaTypes.DockerLayerGzip, layer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter writer, string mediaType, Descriptor descriptor)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", mediaType);
        writer.WriteNumber("size", descriptor.Size);
        writer.WriteString("digest", descriptor.Digest.ToString());
        writer.WriteEndObject();
    }
}
