using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Archives;

/// <summary>
/// Manifest and index bodies from the spooled entries of an archive (already checked against their
/// <c>blobs/</c> names). Every blob the walk reaches is recorded in the plan with its entry; one the archive
/// lacks is NotFound (<c>BlobNotFound</c>), one whose size differs from its descriptor's <c>SizeMismatch</c>.
/// </summary>
internal sealed class SpoolManifestSource(ArchiveSpool spool, ImportPlan plan) : IManifestSource
{
    public async ValueTask<byte[]> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var entry = await RequireAsync(descriptor, "the archive's index", cancellationToken).ConfigureAwait(false);
        ManifestParser.EnsureSizeAllowed(descriptor.Size, descriptor.Digest.ToString());
        return entry.Body ?? throw ArchiveErrors.Invalid(spool.Archive, $"blob {descriptor.Digest} ({descriptor.MediaType}) is not JSON");
    }

    /// <summary>The entry of <paramref name="descriptor"/>, recorded in the plan.</summary>
    public async Task<SpooledEntry> RequireAsync(Descriptor descriptor, string neededBy, CancellationToken cancellationToken)
    {
        var entry = await spool.GetBlobAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false)
            ?? throw ArchiveErrors.MissingBlob(spool.Archive, descriptor.Digest.ToString(), neededBy);
        if (entry.Size != descriptor.Size)
        {
            throw new FailedPreconditionException(
                $"{spool.Archive}: blob {descriptor.Digest} is {entry.Size} bytes but {neededBy} says {descriptor.Size}", ErrorIds.SizeMismatch)
            { Target = descriptor.Digest.ToString() };
        }
        plan.Blobs.TryAdd(descriptor.Digest, (descriptor, entry));
        return entry;
    }
}
