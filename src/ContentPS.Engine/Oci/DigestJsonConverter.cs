using System.Text.Json;
using System.Text.Json.Serialization;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Oci;

/// <summary>Reads and writes a <see cref="Digest"/> as its JSON string form; invalid digests become a <see cref="JsonException"/>.</summary>
public sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"a digest must be a JSON string, got {reader.TokenType}");
        }
        var text = reader.GetString()!;
        try
        {
            return Digest.Parse(text);
        }
        catch (InvalidArgumentException ex)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options)
    {
        writer.WriteStringValue(value.ToString());
    }
}
