using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Images.Handlers;

/// <summary>
/// Reads manifest and index bodies from a registry repository by digest
/// (<see cref="RegistryClient.FetchManifestAsync"/>: size, digest and media type verified; its errors as they are).
/// </summary>
public sealed class RegistryManifestSource : IManifestSource
{
    private readonly RegistryClient _client;
    private readonly ImageReference _repository;

    public RegistryManifestSource(RegistryClient client, ImageReference repository)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(repository);
        _client = client;
        _repository = repository;
    }

    public async ValueTask<byte[]> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var fetched = await _client.FetchManifestAsync(_repository, descriptor, cancellationToken).ConfigureAwait(false);
        return fetched.Body;
    }
}
