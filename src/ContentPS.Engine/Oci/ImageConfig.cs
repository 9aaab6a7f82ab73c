using System.Text.Json.Serialization;

namespace ContentPS.Engine.Oci;

/// <summary>An OCI image configuration (also the shape of a Docker container image config).</summary>
public sealed class ImageConfig
{
    /// <summary>RFC 3339 creation time, kept as written.</summary>
    [JsonPropertyName("created")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Created { get; init; }

    [JsonPropertyName("author")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Author { get; init; }

    // Source-generated deserialization passes null for absent init-only members, so defaults live in the setters.
    private readonly string _architecture = "";
    private readonly string _os = "";
    private readonly RootFs _rootFs = new();

    [JsonPropertyName("architecture")]
    public string Architecture { get => _architecture; init => _architecture = value ?? ""; }

    [JsonPropertyName("os")]
    public string OS { get => _os; init => _os = value ?? ""; }

    [JsonPropertyName("os.version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OSVersion { get; init; }

    [JsonPropertyName("os.features")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? OSFeatures { get; init; }

    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }

    [JsonPropertyName("config")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ExecutionConfig? Config { get; init; }

    [JsonPropertyName("rootfs")]
    public RootFs RootFs { get => _rootFs; init => _rootFs = value ?? new(); }

    [JsonPropertyName("history")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<HistoryEntry>? History { get; init; }

    /// <summary>The platform this config describes.</summary>
    public Platform ToPlatform() => new()
    {
        Architecture = Architecture,
        OS = OS,
        OSVersion = OSVersion,
        OSFeatures = OSFeatures,
        Variant = Variant,
    };
}

/// <summary>The execution parameters of an image (the config's <c>config</c> object; Docker's field names).</summary>
public sealed class ExecutionConfig
{
    [JsonPropertyName("User")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }

    /// <summary>Port specs such as <c>80/tcp</c> (JSON: an object whose keys are the ports).</summary>
    [JsonPropertyName("ExposedPorts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(StringSetJsonConverter))]
    public IReadOnlyList<string>? ExposedPorts { get; init; }

    [JsonPropertyName("Env")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Entrypoint")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("Cmd")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Volume paths (JSON: an object whose keys are the paths).</summary>
    [JsonPropertyName("Volumes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(StringSetJsonConverter))]
    public IReadOnlyList<string>? Volumes { get; init; }

    [JsonPropertyName("WorkingDir")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WorkingDir { get; init; }

    [JsonPropertyName("Labels")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("StopSignal")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StopSignal { get; init; }

    [JsonPropertyName("ArgsEscaped")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ArgsEscaped { get; init; }
}

/// <summary>The layer DiffIDs of an image config (digests of the uncompressed layers).</summary>
public sealed class RootFs
{
    private readonly string _type = "layers";
    private readonly IReadOnlyList<Digest> _diffIds = [];

    [JsonPropertyName("type")]
    public string Type { get => _type; init => _type = value ?? "layers"; }

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<Digest> DiffIds { get => _diffIds; init => _diffIds = value ?? []; }
}

/// <summary>One step of an image's build history.</summary>
public sealed class HistoryEntry
{
    [JsonPropertyName("created")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Created { get; init; }

    [JsonPropertyName("created_by")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CreatedBy { get; init; }

    [JsonPropertyName("author")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Author { get; init; }

    [JsonPropertyName("comment")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Comment { get; init; }

    [JsonPropertyName("empty_layer")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool EmptyLayer { get; init; }
}
