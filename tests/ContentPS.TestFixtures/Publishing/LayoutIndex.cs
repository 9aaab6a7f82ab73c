using System.Text.Json;

namespace ContentPS.TestFixtures;

/// <summary>Reads the descriptor a ref name points at from a layout's index.json.</summary>
internal static class LayoutIndex
{
    public static (string MediaType, string Digest, long Size) Find(string layoutDirectory, string refName)
    {
        var path = Path.Combine(layoutDirectory, "index.json");
        if (!File.Exists(path))
        {
            throw new FixtureException($"'{layoutDirectory}' is not an OCI image layout: index.json is missing.");
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (var entry in document.RootElement.GetProperty("manifests").EnumerateArray())
        {
            if (entry.TryGetProperty("annotations", out var annotations)
                && annotations.TryGetProperty(LayoutAnnotations.RefName, out var name)
                && name.GetString() == refName)
            {
                return (entry.GetProperty("mediaType").GetString() ?? "", entry.GetProperty("digest").GetString() ?? "", entry.GetProperty("size").GetInt64());
            }
        }

        throw new FixtureException($"The layout '{layoutDirectory}' has no entry named '{refName}' in index.json.");
    }
}
