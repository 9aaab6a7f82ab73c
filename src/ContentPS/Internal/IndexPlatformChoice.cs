using ContentPS.Engine.Oci;

namespace ContentPS.Internal;

/// <summary>
/// Which entries of an index a platform matcher accepts, best first (containerd's
/// <c>images.Manifest</c>: keep the entries whose platform matches, stable-sorted by the matcher's
/// preference). Entries without a platform count only when they are indexes themselves (nested
/// indexes carry the platforms one level down); they come after every platform match. Attestation
/// manifests (BuildKit's <c>unknown/unknown</c> entries, <c>vnd.docker.reference.type: attestation-manifest</c>)
/// describe an image rather than run anywhere, so they are never chosen.
/// </summary>
internal static class IndexPlatformChoice
{
    public static IReadOnlyList<Descriptor> Candidates(ImageIndex index, IPlatformMatchComparer matcher)
    {
        List<Descriptor> matching = index.Manifests.Where(m => m.Platform is { } p && !IsAttestation(m) && matcher.Match(p)).ToList();
        // List.Sort is not stable; an insertion sort keeps the index order among equals, as Go's sort.SliceStable does.
        for (int i = 1; i < matching.Count; i++)
        {
            Descriptor current = matching[i];
            int j = i - 1;
            while (j >= 0 && matcher.Less(current.Platform!, matching[j].Platform!))
            {
                matching[j + 1] = matching[j];
                j--;
            }

            matching[j + 1] = current;
        }

        matching.AddRange(index.Manifests.Where(m => m.Platform is null && MediaTypes.IsIndex(m.MediaType)));
        return matching;
    }

    /// <summary>The runnable platforms an index lists (attestations, <c>unknown/unknown</c>, left out), for messages.</summary>
    public static IReadOnlyList<string> Platforms(ImageIndex index) =>
        index.Manifests
            .Where(m => m.Platform is not null && !IsAttestation(m))
            .Select(m => Engine.Oci.Platforms.FormatAll(m.Platform!))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    private static bool IsAttestation(Descriptor descriptor) =>
        descriptor.Platform is { OS: UnknownPlatformPart, Architecture: UnknownPlatformPart }
        || (descriptor.Annotations?.TryGetValue(ReferenceTypeAnnotation, out string? type) == true && type == AttestationReferenceType);

    private const string UnknownPlatformPart = "unknown";
    private const string ReferenceTypeAnnotation = "vnd.docker.reference.type";
    private const string AttestationReferenceType = "attestation-manifest";
}
