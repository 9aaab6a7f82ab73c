using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContentPS.Engine.Oci;

/// <summary>
/// Source-generated System.Text.Json metadata for the OCI models. Property names are exact and
/// case-sensitive; null optional members are omitted when writing. Write documents with
/// <see cref="Relaxed"/>: the generated <c>Default</c> uses the HTML-safe encoder, which turns
/// the <c>+</c> of every media type into <c>\u002B</c>.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Platform))]
[JsonSerializable(typeof(Digest))]
[JsonSerializable(typeof(ImageLayout))]
public sealed partial class OciJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Like <c>Default</c>, but writes <c>+</c>, <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, <c>'</c> and
    /// non-ASCII text unescaped (quotes, backslash and control characters are still escaped), as
    /// other OCI tools do. Use its type infos (<c>OciJsonContext.Relaxed.Manifest</c>) for writing.
    /// </summary>
    public static OciJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
