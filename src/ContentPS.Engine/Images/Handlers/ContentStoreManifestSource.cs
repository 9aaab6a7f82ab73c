using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Images.Handlers;

/// <summary>
/// Reads manifest and index bodies from committed content. A descriptor over
/// <see cref="ManifestParser.MaxManifestSize"/> is ManifestTooLarge before anything is read; an absent
/// blob is NotFound (<c>BlobNotFound</c>); a blob whose size or bytes do not match the descriptor is
/// DataLoss (<c>BlobCorrupt</c>).
/// </summary>
public sealed class ContentStoreManifestSource(IContentProvider store) : IManifestSource
{
    private readonly IContentProvider _store = store ?? throw new ArgumentNullException(nameof(store));

    public async ValueTask<byte[]> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var target = descriptor.Digest.ToString();
        ManifestParser.EnsureSizeAllowed(descriptor.Size, target);
        await using var reader = await _store.OpenReaderAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false);
        if (reader.Size != descriptor.Size)
        {
            throw new DataLossException(
                $"blob {target} holds {reader.Size} bytes but its descriptor says {descriptor.Size}", ErrorIds.BlobCorrupt) { Target = target };
        }

        var body = new byte[descriptor.Size];
        var filled = 0;
        while (filled < body.Length)
        {
            var read = await reader.ReadAtAsync(body.AsMemory(filled), filled, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new DataLossException($"blob {target} ended after {filled} of {body.Length} bytes", ErrorIds.BlobCorrupt) { Target = target };
            }
            filled += read;
        }

        try
        {
            descriptor.Digest.Verify(body);
        }
        catch (FailedPreconditionException ex) when (ex.ErrorId == ErrorIds.DigestMismatch)
        {
            throw new DataLossException($"committed blob {target} no longer matches its digest: {ex.Message}", ErrorIds.BlobCorrupt, ex) { Target = target };
        }
        return body;
    }
}
