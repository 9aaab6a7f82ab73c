using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer;

/// <summary>
/// Attestation manifests in an index (BuildKit's provenance and SBOM): entries with the platform
/// <c>unknown/unknown</c> or the annotation <c>vnd.docker.reference.type: attestation-manifest</c>.
/// They describe an image rather than run anywhere.
/// </summary>
public static class AttestationManifests
{
    public const string ReferenceTypeAnnotation = "vnd.docker.reference.type";

    public const string ReferenceDigestAnnotation = "vnd.docker.reference.digest";

    public const string AttestationReferenceType = "attestation-manifest";

    private const string Unknown = "unknown";

    public static bool Is(Descriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return descriptor.Platform is { OS: Unknown, Architecture: Unknown }
            || (descriptor.Annotations?.TryGetValue(ReferenceTypeAnnotation, out var type) == true && type == AttestationReferenceType);
    }
}
