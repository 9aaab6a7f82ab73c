using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContentPS.Engine.Oci;

/// <summary>
/// Reads a JSON object whose values are ignored (<c>{"80/tcp":{}}</c>, as in ExposedPorts and
/// Volumes) as its list of keys, and writes the keys back with empty objects.
/// </summary>
public sealed class StringSetJsonConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected a JSON object, got {reader.TokenType}");
        }
        var keys = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            keys.Add(reader.GetString()!);
            reader.Read();
            reader.Skip();
        }
        return keys;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var key in value)
        {
            writer.WriteStartObject(key);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }
}
