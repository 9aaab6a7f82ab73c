using System.Net;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes.Client;

namespace ContentPS.Engine.Remotes;

public sealed partial class RegistryClient
{
    /// <summary>
    /// DELETE <c>/manifests/&lt;digest&gt;</c>: the manifest goes, and with it every tag that names it.
    /// 404: ManifestNotFound; 405: NotImplemented (the registry does not allow deletes).
    /// </summary>
    public async Task DeleteManifestAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default)
    {
        RequireRepository(repository);
        ArgumentNullException.ThrowIfNull(digest);
        var target = RepositoryPaths.Target(repository, digest);
        await _hosts.RunAsync(repository.Domain, HostCapabilities.Push,
            host => DeleteOnHostAsync(host, repository, digest.ToString(), target, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a tag. DELETE <c>/manifests/&lt;tag&gt;</c> first (OCI distribution 1.1: only the tag
    /// goes). A registry that deletes manifests by digest only answers that with 400 (distribution
    /// 2.8: DIGEST_INVALID) or 405; then the tag is resolved and its manifest deleted by digest,
    /// which in distribution 2.8 is the only way to remove a tag and also removes every other
    /// tag of the same manifest. 404: ManifestNotFound; deletes refused: NotImplemented.
    /// </summary>
    public async Task DeleteTagAsync(ImageReference repository, string tag, CancellationToken cancellationToken = default)
    {
        RequireRepository(repository);
        RequireTag(repository, tag);
        var target = RepositoryPaths.Target(repository, tag);
        await _hosts.RunAsync(repository.Domain, HostCapabilities.Push, async host =>
        {
            try
            {
                return await DeleteOnHostAsync(host, repository, tag, target, cancellationToken).ConfigureAwait(false);
            }
            catch (ClassifiedException e) when (e.Class is ErrorClass.InvalidArgument or ErrorClass.NotImplemented)
            {
                var resolved = await ResolveOnHostAsync(host, repository, tag, expected: null, target, cancellationToken).ConfigureAwait(false);
                Options.Log.Verbose($"{target}: the registry does not delete tags ({e.Message}); deleting the manifest {resolved.Digest}, "
                    + "which removes every tag that names it");
                return await DeleteOnHostAsync(host, repository, resolved.Digest.ToString(), RepositoryPaths.Target(repository, resolved.Digest),
                    cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DeleteOnHostAsync(RegistryHost host, ImageReference repository, string tagOrDigest, string target,
        CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(new RegistryRequest
        {
            Host = host,
            Method = HttpMethod.Delete,
            Path = RepositoryPaths.Manifest(repository, tagOrDigest),
            Scope = AuthScope.ForRepository(repository.Path, "delete"),
        }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.MethodNotAllowed)
        {
            var body = await RegistryResponses.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var answer = RegistryErrors.FromResponse(405, response.Content.Headers.ContentType?.MediaType, body, $"delete {target}", target);
            throw Errors.New(RegistryErrors.FromHttpStatus(405, methodUnsupported: true),
                $"delete {target}: the registry does not allow deletes (405 Method Not Allowed)", ErrorIds.NotImplemented, answer, target, answer.Details);
        }

        await RegistryResponses.ThrowForStatusAsync(response, $"delete {target}", target, ErrorIds.ManifestNotFound, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
