using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>A registry repository as a copy's source; any blob of it can be mounted into another repository of the same registry.</summary>
internal sealed class RegistryCopySource(RegistryClient client, ImageReference repository) : ICopySource
{
    public async ValueTask<byte[]> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken) =>
        (await client.FetchManifestAsync(repository, descriptor, cancellationToken).ConfigureAwait(false)).Body;

    public async Task<Descriptor> DescribeBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        await client.TryGetBlobAsync(repository, digest, cancellationToken).ConfigureAwait(false)
        ?? throw new NotFoundException($"{repository.FullName} has no blob {digest}", ErrorIds.BlobNotFound) { Target = digest.ToString() };

    public Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken cancellationToken) =>
        client.OpenBlobAsync(repository, blob, cancellationToken);

    // A full name: the registry client keeps it only when the destination is on the same registry.
    public Task<IReadOnlyCollection<string>> MountCandidatesAsync(Descriptor blob, ImageReference destination, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<string>>([repository.FullName]);

    public async Task<IReadOnlyList<Descriptor>> ListReferrersAsync(Digest subject, CancellationToken cancellationToken)
    {
        var referrers = new List<Descriptor>();
        await foreach (var referrer in client.ListReferrersAsync(repository, subject, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            referrers.Add(referrer);
        }

        return referrers;
    }
}
