using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Remotes;

/// <summary>A reference resolved on its registry: the normalized reference and the root descriptor it names.</summary>
/// <param name="Reference">The normalized reference as asked (docker.io/library/ubuntu:latest, with its digest when it had one).</param>
/// <param name="Descriptor">The manifest or index the reference names: digest, media type, size.</param>
public sealed record ResolvedImage(ImageReference Reference, Descriptor Descriptor);

/// <summary>A manifest or index read from a registry: its descriptor and the exact bytes, verified against the digest.</summary>
public sealed record FetchedManifest(Descriptor Descriptor, byte[] Body);

/// <summary>How a pushed blob reached the registry.</summary>
public enum BlobPushOutcome
{
    /// <summary>The registry had it already (HEAD found it); nothing was sent.</summary>
    Existed,

    /// <summary>Mounted from another repository of the same registry (no bytes sent).</summary>
    Mounted,

    /// <summary>Uploaded.</summary>
    Uploaded,
}

/// <summary>The result of pushing one blob.</summary>
/// <param name="Descriptor">What was pushed.</param>
/// <param name="Outcome">How it got there.</param>
/// <param name="MountedFrom">The source repository of a mount.</param>
public sealed record BlobPushResult(Descriptor Descriptor, BlobPushOutcome Outcome, string? MountedFrom = null);
