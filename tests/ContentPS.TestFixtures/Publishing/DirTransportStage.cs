namespace ContentPS.TestFixtures;

/// <summary>
/// A temporary directory in skopeo's <c>dir:</c> transport format (version, manifest.json,
/// &lt;hex&gt;.manifest.json per instance, &lt;hex&gt; per blob) made of symlinks into a layout.
/// skopeo's <c>oci:</c> transport (1.9) only reads OCI media types from index.json, so Docker
/// manifest lists and pushes by digest go through this.
/// </summary>
internal sealed class DirTransportStage : IDisposable
{
    private DirTransportStage(string directory) => Directory = directory;

    public string Directory { get; }

    public static DirTransportStage Create(string layoutDirectory, string digest, string mediaType)
    {
        var stage = new DirTransportStage(System.IO.Directory.CreateTempSubdirectory("contentps-skopeo-dir-").FullName);
        try
        {
            File.WriteAllText(Path.Combine(stage.Directory, "version"), "Directory Transport Version: 1.1\n");
            stage.Link(layoutDirectory, digest, "manifest.json");
            stage.AddChildren(layoutDirectory, digest, mediaType);
            return stage;
        }
        catch
        {
            stage.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void AddChildren(string layoutDirectory, string digest, string mediaType)
    {
        foreach (var (childType, childDigest) in LayoutTree.Children(layoutDirectory, digest, mediaType))
        {
            var isDocument = LayoutMediaTypes.IsIndex(childType) || LayoutMediaTypes.IsManifest(childType);
            var name = childDigest["sha256:".Length..] + (isDocument ? ".manifest.json" : "");
            if (Link(layoutDirectory, childDigest, name) && isDocument)
            {
                AddChildren(layoutDirectory, childDigest, childType);
            }
        }
    }

    private bool Link(string layoutDirectory, string digest, string name)
    {
        var path = Path.Combine(Directory, name);
        if (File.Exists(path))
        {
            return false;
        }

        File.CreateSymbolicLink(path, LayoutTree.BlobPath(layoutDirectory, digest));
        return true;
    }
}
