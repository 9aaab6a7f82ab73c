using System.Text.Json;

namespace ContentPS.TestFixtures;

/// <summary>Reads the children of an index or manifest blob in a layout (index → manifests, manifest → config + layers).</summary>
internal static class LayoutTree
{
    public static string BlobPath(string layoutDirectory, string digest) =>
        Path.Combine(layoutDirectory, "blobs", "sha256", digest["sha256:".Length..]);

    public static IReadOnlyList<(string MediaType, string Digest)> Children(string layoutDirectory, string digest, string mediaType)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(BlobPath(layoutDirectory, digest)));
        var root = document.RootElement;
        var children = new List<(string, string)>();
        if (LayoutMediaTypes.IsIndex(mediaType))
        {
            children.AddRange(root.GetProperty("manifests").EnumerateArray().Select(Descriptor));
        }
        else if (LayoutMediaTypes.IsManifest(mediaType))
        {
            children.Add(Descriptor(root.GetProperty("config")));
            children.AddRange(root.GetProperty("layers").EnumerateArray().Select(Descriptor));
        }

        return children;
    }

    private static (string, string) Descriptor(JsonElement element) =>
        (element.GetProperty("mediaType").GetString() ?? "", element.GetProperty("digest").GetString() ?? "");
}
