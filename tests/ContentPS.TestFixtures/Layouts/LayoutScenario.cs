namespace ContentPS.TestFixtures;

/// <summary>The ready-made layouts <see cref="ImageLayouts"/> can write.</summary>
public enum LayoutScenario
{
    /// <summary>One linux/amd64 OCI image: config, N gzip tar layers, manifest.</summary>
    SinglePlatform,

    /// <summary>OCI index: linux/amd64, linux/arm64/v8, linux/arm/v7 and a BuildKit-style attestation manifest.</summary>
    MultiPlatform,

    /// <summary>Docker manifest list v2 with Docker v2 manifests for the same three platforms.</summary>
    DockerMultiPlatform,

    /// <summary>An OCI index whose entries are a multi-platform index and a linux/riscv64 manifest.</summary>
    NestedIndex,

    /// <summary>An OCI 1.1 artifact (artifactType, empty config, subject) plus the image it refers to.</summary>
    Artifact,

    /// <summary>One OCI image whose layer count and size are the point (defaults 1 × 1 MiB); layers are streamed.</summary>
    Layers,

    /// <summary>OCI index of the three MultiPlatform platforms whose images end with a non-distributable (foreign) layer; see <see cref="ForeignLayerScenario"/>.</summary>
    ForeignLayer,
}
