using System.Text.Json.Serialization;

namespace ContentPS.Engine.Oci;

/// <summary>
/// An OCI platform (image-spec <c>platform</c> object). Parsing, normalizing, formatting and
/// matching live in the Platforms class; this type is only the data and its JSON shape.
/// </summary>
public sealed class Platform : IEquatable<Platform>
{
    // Source-generated deserialization passes null for absent init-only members, so defaults live in the setter.
    [JsonPropertyName("architecture")]
    public string Architecture { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("os")]
    public string OS { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("os.version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OSVersion { get; init; }

    [JsonPropertyName("os.features")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? OSFeatures { get; init; }

    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }

    public bool Equals(Platform? other) =>
        other is not null
        && OS == other.OS
        && Architecture == other.Architecture
        && (Variant ?? "") == (other.Variant ?? "")
        && (OSVersion ?? "") == (other.OSVersion ?? "")
        && (OSFeatures ?? []).SequenceEqual(other.OSFeatures ?? []);

    public override bool Equals(object? obj) => Equals(obj as Platform);

    public override int GetHashCode() => HashCode.Combine(OS, Architecture, Variant ?? "", OSVersion ?? "");

    /// <summary>The specifier form, <c>os[(osversion+features)]/arch[/variant]</c> (<see cref="Platforms.FormatAll"/>).</summary>
    public override string ToString() => Platforms.FormatAll(this);
}
