using System.Text.Json.Serialization;

namespace ContentPS.Engine.Oci;

/// <summary>The <c>oci-layout</c> file at the root of an OCI image layout, and the layout's fixed names.</summary>
public sealed class ImageLayout
{
    /// <summary>Name of the layout marker file.</summary>
    public const string LayoutFileName = "oci-layout";

    /// <summary>Name of the layout's top-level index.</summary>
    public const string IndexFileName = "index.json";

    /// <summary>Name of the folder holding blobs (<c>blobs/&lt;alg&gt;/&lt;encoded&gt;</c>).</summary>
    public const string BlobsDirectoryName = "blobs";

    /// <summary>The layout version this engine writes.</summary>
    public const string CurrentVersion = "1.0.0";

    private readonly string _version = CurrentVersion;

    [JsonPropertyName("imageLayoutVersion")]
    public string ImageLayoutVersion { get => _version; init => _version = value ?? ""; }
}
