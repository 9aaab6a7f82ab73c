using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContentPS.HelpBuilder.Metadata;

/// <summary>The JSON file Export-CommandMetadata.ps1 writes.</summary>
internal sealed record MetadataDocument(string? Module, string? Version, IReadOnlyList<CommandMetadata> Commands)
{
    public CommandMetadata? Find(string name) =>
        Commands.FirstOrDefault(command => string.Equals(command.Name, name, StringComparison.OrdinalIgnoreCase));

    public static MetadataDocument Parse(string json) =>
        JsonSerializer.Deserialize(json, MetadataJsonContext.Default.MetadataDocument)
        ?? throw new InvalidDataException("The metadata file is empty.");

    public static MetadataDocument Load(string path) => Parse(File.ReadAllText(path));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true, WriteIndented = true)]
[JsonSerializable(typeof(MetadataDocument))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
