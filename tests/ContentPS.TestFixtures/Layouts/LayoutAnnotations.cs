namespace ContentPS.TestFixtures;

/// <summary>Annotation keys the layout builder writes.</summary>
public static class LayoutAnnotations
{
    public const string RefName = "org.opencontainers.image.ref.name";
    public const string Created = "org.opencontainers.image.created";
    public const string ReferenceType = "vnd.docker.reference.type";
    public const string ReferenceDigest = "vnd.docker.reference.digest";
    public const string AttestationManifest = "attestation-manifest";
    public const string InTotoPredicateType = "in-toto.io/predicate-type";
}
