using System.Text.Json.Serialization;

namespace ContentPS.Engine.Oci;

/// <summary>An OCI image manifest or Docker schema 2 manifest: a config and an ordered list of layers.</summary>
public sealed class Manifest
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; init; }

    [JsonPropertyName("artifactType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("config")]
    public required Descriptor Config { get; init; }

    // Source-generated deserialization passes null for absent init-only members, so defaults live in the setter.
    private readonly IReadOnlyList<Descriptor> _layers = [];

    /// <summary>The layers, base first; empty (never null) when the document has none.</summary>
    [JsonPropertyName("layers")]
    public IReadOnlyList<Descriptor> Layers { get => _layers; init => _layers = value ?? []; }

    [JsonPropertyName("subject")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Descriptor? Subject { get; init; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
