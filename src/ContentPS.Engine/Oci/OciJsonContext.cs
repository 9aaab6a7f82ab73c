using System.Text.Json.Serialization;

namespace ContentPS.Engine.Oci;

/// <summary>
/// Source-generated System.Text.Json metadata for the OCI models. Property names are exact and
/// case-sensitive; null optional members are omitted when writing.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Platform))]
[JsonSerializable(typeof(Digest))]
public sealed partial class OciJsonContext : JsonSerializerContext
{
}
