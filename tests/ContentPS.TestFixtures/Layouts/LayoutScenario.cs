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

    // Images for unpacking a root filesystem (Expand-Image); see UnpackScenarios for what each must leave.

    /// <summary>Whiteouts, a whiteout of an absent path, an opaque directory, a same-layer whiteout, re-adding a removed file.</summary>
    UnpackWhiteouts,

    /// <summary>Hard links within a layer and to a file of an earlier layer.</summary>
    UnpackHardLinks,

    /// <summary>Symlink chains, writes through relative directory symlinks, a dangling and an absolute link.</summary>
    UnpackSymlinks,

    /// <summary>A zstd, a gzip and an uncompressed tar layer.</summary>
    UnpackZstd,

    /// <summary>A Docker v2 image whose second layer is gzip typed rootfs.diff.tar (found by sniffing).</summary>
    UnpackDockerGzipDiffTar,

    /// <summary>A character device, a FIFO and a setuid file owned by 1234:5678.</summary>
    UnpackDevices,

    /// <summary>A second layer with a ../escape entry (refused).</summary>
    UnpackEscapeEntry,

    /// <summary>An absolute symlink, then a layer that writes through it (refused).</summary>
    UnpackAbsoluteSymlinkWrite,

    /// <summary>A second layer whose config diff ID lies (DataLoss).</summary>
    UnpackBadDiffId,

    /// <summary>A second layer whose tar ends inside a file (DataLoss).</summary>
    UnpackTruncated,
}
