namespace ContentPS.Engine.Images.Graph;

/// <summary>The role a descriptor plays in an image graph (see <see cref="DescriptorKinds.Of"/>).</summary>
public enum DescriptorKind
{
    /// <summary>An OCI image index or a Docker manifest list.</summary>
    Index,

    /// <summary>An image manifest (OCI or Docker schema 2) whose config is an image config.</summary>
    Manifest,

    /// <summary>The config of a manifest (its first child), whatever its media type.</summary>
    Config,

    /// <summary>A layer of a manifest (every child after the config), whatever its media type.</summary>
    Layer,

    /// <summary>An attestation manifest of an index (BuildKit's provenance and SBOM: platform <c>unknown/unknown</c> or the Docker reference-type annotation).</summary>
    Attestation,

    /// <summary>A manifest that is an artifact: it has an <c>artifactType</c>, or its config is not an image config.</summary>
    Artifact,

    /// <summary>Anything else: a schema 1 manifest, a blob that is no child of a manifest, an unknown media type.</summary>
    Other,
}
