using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content;

/// <summary>
/// The paths of one store root, an OCI image layout: <c>oci-layout</c>, <c>index.json</c>,
/// <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c> and <c>ingest/&lt;sha256(ref)&gt;.*</c>. Every path it hands out is
/// inside the root: digests are validated and refs are hashed.
/// </summary>
public sealed class StoreLayout
{
    /// <summary>Folder of in-progress writes, files named by the hash of their ref (see <see cref="IngestFiles"/>).</summary>
    public const string IngestDirectoryName = "ingest";

    /// <summary>Folder of the engine's own metadata (labels: see <see cref="FileLabelStore"/>).</summary>
    public const string MetadataDirectoryName = "contentps";

    internal const string LayoutFileContent = """{"imageLayoutVersion":"1.0.0"}""";
    internal const string EmptyIndexContent = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""";

    // What OpenOrCreate itself may leave behind when interrupted; a folder holding only these is initialized.
    private static readonly HashSet<string> OwnEntries = new(StringComparer.Ordinal)
    {
        ImageLayout.LayoutFileName, ImageLayout.IndexFileName, ImageLayout.BlobsDirectoryName, IngestDirectoryName, MetadataDirectoryName,
    };

    private StoreLayout(string root)
    {
        Root = root;
        BlobsDirectory = Path.Combine(root, ImageLayout.BlobsDirectoryName);
        IngestDirectory = Path.Combine(root, IngestDirectoryName);
    }

    public string Root { get; }

    public string BlobsDirectory { get; }

    public string IngestDirectory { get; }

    public string IndexPath => Path.Combine(Root, ImageLayout.IndexFileName);

    public string LayoutPath => Path.Combine(Root, ImageLayout.LayoutFileName);

    /// <summary>
    /// Opens the store at <paramref name="root"/>, creating it (oci-layout, index.json, blobs/, ingest/)
    /// when it is missing or an empty folder. A root that is a file, a non-empty folder without
    /// <c>oci-layout</c>, or a layout of another version is FailedPrecondition (<c>StoreInvalid</c>); a root
    /// the user may not read or write is PermissionDenied (<c>StoreAccessDenied</c>). Unknown files are tolerated.
    /// </summary>
    public static StoreLayout OpenOrCreate(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var layout = new StoreLayout(full);
        try
        {
            layout.Initialize();
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PermissionDeniedException($"store {full}: access denied: {ex.Message}", ErrorIds.StoreAccessDenied, ex) { Target = full };
        }
        return layout;
    }

    /// <summary>The blob path of a storable digest; InvalidArgument or NotImplemented for anything else.</summary>
    public string BlobPath(Digest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        // RelativeBlobPath validates the algorithm; Digest.Parse already pinned registered algorithms to lowercase hex.
        return Path.Combine(Root, digest.RelativeBlobPath.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>The key of a ref's ingest files (<c>ingest/&lt;key&gt;.data</c>, <c>.json</c>): the hex sha256 of the ref's UTF-8 bytes.</summary>
    public static string IngestKey(string reference) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(reference))).ToLowerInvariant();

    private void Initialize()
    {
        if (File.Exists(Root))
        {
            throw Invalid("is a file, not a store folder");
        }
        if (!Directory.Exists(Root))
        {
            Directory.CreateDirectory(Root);
        }

        if (File.Exists(LayoutPath))
        {
            CheckLayoutFile();
        }
        else
        {
            var foreign = Directory.EnumerateFileSystemEntries(Root)
                .Select(Path.GetFileName)
                .FirstOrDefault(name => name is not null && !OwnEntries.Contains(name) && !name.StartsWith('.'));
            if (foreign is not null)
            {
                throw Invalid($"is not empty (it holds \"{foreign}\") and has no {ImageLayout.LayoutFileName} file");
            }
        }

        Directory.CreateDirectory(BlobsDirectory);
        Directory.CreateDirectory(IngestDirectory);
        if (!File.Exists(IndexPath))
        {
            AtomicFile.WriteAllBytesAsync(IndexPath, Encoding.UTF8.GetBytes(EmptyIndexContent)).GetAwaiter().GetResult();
        }
        // oci-layout last: it marks a complete store.
        if (!File.Exists(LayoutPath))
        {
            AtomicFile.WriteAllBytesAsync(LayoutPath, Encoding.UTF8.GetBytes(LayoutFileContent)).GetAwaiter().GetResult();
        }
        // Fail now, not at the first write, when the root is read-only for us.
        Directory.EnumerateFileSystemEntries(IngestDirectory).Take(1).ToList();
    }

    private void CheckLayoutFile()
    {
        string? version;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(LayoutPath));
            version = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("imageLayoutVersion", out var element)
                && element.ValueKind == JsonValueKind.String
                    ? element.GetString()
                    : null;
        }
        catch (JsonException ex)
        {
            throw Invalid($"has an {ImageLayout.LayoutFileName} file that is not JSON: {ex.Message}", ex);
        }
        if (version is null)
        {
            throw Invalid($"has an {ImageLayout.LayoutFileName} file without \"imageLayoutVersion\"");
        }
        if (version != ImageLayout.CurrentVersion)
        {
            throw Invalid($"is an OCI layout of version \"{version}\"; this engine reads version {ImageLayout.CurrentVersion}");
        }
    }

    private FailedPreconditionException Invalid(string what, Exception? inner = null) =>
        new($"{Root} is not a content store: it {what}", ErrorIds.StoreInvalid, inner) { Target = Root };
}
