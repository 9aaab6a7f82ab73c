namespace ContentPS.Engine.Archives;

/// <summary>The file forms an image travels in.</summary>
public enum ArchiveFormat
{
    /// <summary>An OCI image layout directory (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/</c>).</summary>
    OciLayout,

    /// <summary>A tar of an OCI image layout (skopeo's <c>oci-archive:</c>).</summary>
    OciArchive,

    /// <summary>A <c>docker save</c> tar: <c>manifest.json</c> (Config, RepoTags, Layers), the config and layer files, <c>repositories</c>.</summary>
    DockerArchive,
}
