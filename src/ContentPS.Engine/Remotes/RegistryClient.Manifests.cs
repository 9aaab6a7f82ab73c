using System.Net;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes.Client;
using ContentPS.Engine.Remotes.Http;

namespace ContentPS.Engine.Remotes;

public sealed partial class RegistryClient
{
    /// <summary>
    /// The descriptor a reference names on its registry. A reference without tag or digest means
    /// <c>:latest</c>; with a digest, the digest is resolved (and must be what the registry
    /// reports) on hosts that can pull; a tag is resolved on hosts that can resolve.
    /// </summary>
    /// <remarks>
    /// HEAD <c>/manifests/&lt;tag|digest&gt;</c> first, with an Accept of every index and
    /// manifest type and <c>*/*</c> (as containerd's resolver). A GET follows on the same host when
    /// the HEAD answer lacks <c>Docker-Content-Digest</c>, <c>Content-Length</c> or a usable
    /// <c>Content-Type</c>, or when HEAD is refused (400, 405, 501: some registries and proxies do
    /// not implement HEAD; containerd moves to the next host instead, which fails on a registry
    /// that has no other). The body read is verified against the digest asked for or reported.
    /// Larger than 4 MiB: ManifestTooLarge before the body is read; schema 1: UnsupportedSchema1;
    /// 404: ManifestNotFound with the reference as target.
    /// </remarks>
    public async Task<ResolvedImage> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        RequireRepository(reference);
        var normalized = reference.WithDefaultTag();
        var target = normalized.ToString();
        var expected = normalized.Digest is null ? null : Digest.Parse(normalized.Digest);
        var descriptor = await _hosts.RunAsync(normalized.Domain, expected is null ? HostCapabilities.Resolve : HostCapabilities.Pull,
            host => ResolveOnHostAsync(host, normalized, expected?.ToString() ?? normalized.Tag!, expected, target, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return new ResolvedImage(normalized, descriptor);
    }

    /// <summary>The descriptor of a tag or digest in <paramref name="repository"/>, as <see cref="ResolveAsync"/> finds it; null when the registry has none (404).</summary>
    public async Task<Descriptor?> TryGetManifestAsync(ImageReference repository, string tagOrDigest, CancellationToken cancellationToken = default)
    {
        RequireRepository(repository);
        ArgumentException.ThrowIfNullOrEmpty(tagOrDigest);
        var expected = Digest.TryParse(tagOrDigest, out var digest) ? digest : null;
        if (expected is null)
        {
            RequireTag(repository, tagOrDigest);
        }

        var target = RepositoryPaths.Target(repository, tagOrDigest);
        try
        {
            return await _hosts.RunAsync(repository.Domain, expected is null ? HostCapabilities.Resolve : HostCapabilities.Pull,
                host => ResolveOnHostAsync(host, repository, tagOrDigest, expected, target, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ClassifiedException e) when (IsMissing(e))
        {
            return null;
        }
    }

    /// <summary>
    /// The exact bytes of the manifest or index <paramref name="descriptor"/> names, read by digest
    /// and verified: size (SizeMismatch), digest (DigestMismatch), the media type served and the
    /// body's own <c>mediaType</c> against the descriptor's (MediaTypeMismatch), and for index and
    /// manifest types a valid document of that type (schema 1: UnsupportedSchema1).
    /// </summary>
    public async Task<FetchedManifest> FetchManifestAsync(ImageReference repository, Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        RequireRepository(repository);
        RequireDescriptor(descriptor);
        var target = RepositoryPaths.Target(repository, descriptor.Digest);
        ManifestParser.EnsureSizeAllowed(descriptor.Size, target);
        return await _hosts.RunAsync(repository.Domain, HostCapabilities.Pull,
            host => FetchManifestOnHostAsync(host, repository, descriptor, target, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// PUTs the exact <paramref name="body"/> as <c>/manifests/&lt;tag&gt;</c> (or by digest when
    /// <paramref name="tag"/> is null) with <c>Content-Type</c> set to the descriptor's media type.
    /// The body must match the descriptor; a <c>Docker-Content-Digest</c> in the answer must too.
    /// </summary>
    public async Task PushManifestAsync(ImageReference repository, Descriptor descriptor, ReadOnlyMemory<byte> body, string? tag = null,
        CancellationToken cancellationToken = default)
    {
        RequireRepository(repository);
        RequireDescriptor(descriptor);
        var reference = tag is null ? descriptor.Digest.ToString() : RequireTag(repository, tag);
        var target = RepositoryPaths.Target(repository, reference);
        if (body.Length != descriptor.Size)
        {
            throw ContentChecks.SizeMismatch(target, $"the manifest to push has {body.Length} bytes, its descriptor says {descriptor.Size}");
        }

        ManifestParser.EnsureSizeAllowed(body.Length, target);
        ContentChecks.VerifyDigest(descriptor.Digest, body.Span, target);
        await _hosts.RunAsync(repository.Domain, HostCapabilities.Push, async host =>
        {
            var request = new RegistryRequest
            {
                Host = host,
                Method = HttpMethod.Put,
                Path = RepositoryPaths.Manifest(repository, reference),
                Scope = AuthScope.Push(repository.Path),
                Content = () =>
                {
                    var content = new ReadOnlyMemoryContent(body);
                    content.Headers.TryAddWithoutValidation("Content-Type", descriptor.MediaType);
                    return content;
                },
            };
            using var response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await RegistryResponses.ThrowForStatusAsync(response, $"push {target}", target, ErrorIds.RepositoryNotFound, cancellationToken).ConfigureAwait(false);
            if (RegistryProtocol.ContentDigest(response, target) is { } stored && stored.Algorithm == descriptor.Digest.Algorithm
                && !stored.Equals(descriptor.Digest))
            {
                throw ContentChecks.DigestMismatch(descriptor.Digest, stored, target);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Descriptor> ResolveOnHostAsync(RegistryHost host, ImageReference repository, string tagOrDigest, Digest? expected,
        string target, CancellationToken cancellationToken)
    {
        var context = $"resolve {target}";
        using (var head = await _transport.SendAsync(ManifestRequest(host, HttpMethod.Head, repository, tagOrDigest, ManifestAccept.Any), cancellationToken)
            .ConfigureAwait(false))
        {
            if (head.IsSuccessStatusCode)
            {
                if (DescriptorFromHeaders(head, expected, target) is { } described)
                {
                    return described;
                }

                Options.Log.Debug($"{target}: HEAD on {host} gave no digest, length or media type; reading the manifest");
            }
            else if (IsHeadRefused(head.StatusCode))
            {
                Options.Log.Debug($"{target}: {host} refused HEAD ({(int)head.StatusCode}); reading the manifest with GET");
            }
            else
            {
                await RegistryResponses.ThrowForStatusAsync(head, context, target, ErrorIds.ManifestNotFound, cancellationToken).ConfigureAwait(false);
            }
        }

        return await RetryBrokenBodiesAsync(target, async () =>
        {
            using var get = await _transport.SendAsync(ManifestRequest(host, HttpMethod.Get, repository, tagOrDigest, ManifestAccept.Any), cancellationToken)
                .ConfigureAwait(false);
            await RegistryResponses.ThrowForStatusAsync(get, context, target, ErrorIds.ManifestNotFound, cancellationToken).ConfigureAwait(false);
            var (descriptor, _) = await ReadManifestAsync(get, expected, expectedSize: null, target, cancellationToken).ConfigureAwait(false);
            return descriptor;
        }, cancellationToken).ConfigureAwait(false);
    }

    private Task<FetchedManifest> FetchManifestOnHostAsync(RegistryHost host, ImageReference repository, Descriptor descriptor, string target,
        CancellationToken cancellationToken) =>
        RetryBrokenBodiesAsync(target, () => FetchManifestOnceAsync(host, repository, descriptor, target, cancellationToken), cancellationToken);

    private async Task<FetchedManifest> FetchManifestOnceAsync(RegistryHost host, ImageReference repository, Descriptor descriptor, string target,
        CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(
            ManifestRequest(host, HttpMethod.Get, repository, descriptor.Digest.ToString(), ManifestAccept.Preferring(descriptor.MediaType)),
            cancellationToken).ConfigureAwait(false);
        await RegistryResponses.ThrowForStatusAsync(response, $"fetch {target}", target, ErrorIds.ManifestNotFound, cancellationToken).ConfigureAwait(false);
        var (_, body) = await ReadManifestAsync(response, descriptor.Digest, descriptor.Size, target, cancellationToken).ConfigureAwait(false);

        var served = RegistryProtocol.ContentType(response);
        if (served is not null && !ManifestParser.IsGenericMediaType(served) && !MediaTypes.IsSchema1(served)
            && !string.Equals(served, MediaTypes.StripParameters(descriptor.MediaType), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidArgumentException($"{target}: the registry serves it as \"{served}\", the descriptor says \"{descriptor.MediaType}\"",
                ErrorIds.MediaTypeMismatch) { Target = target };
        }

        if (MediaTypes.IsIndex(descriptor.MediaType) || MediaTypes.IsManifest(descriptor.MediaType) || MediaTypes.IsSchema1(descriptor.MediaType))
        {
            ManifestParser.Parse(body, descriptor.MediaType, target);
        }

        return new FetchedManifest(descriptor, body);
    }

    // The transport retries until the headers arrive; a body that breaks off later is retried here, the whole GET again.
    private async Task<T> RetryBrokenBodiesAsync<T>(string target, Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        var retries = new RetryPolicy(Options);
        for (int number = 1; ; number++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (ManifestBodyBrokenException broken)
            {
                if (number >= retries.MaximumAttempts)
                {
                    throw broken.ToUnavailable(number);
                }

                var delay = retries.Backoff(number + 1);
                Options.Log.Debug($"{broken.Message}; sending the GET again in {RetryPolicy.Describe(delay)}");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static RegistryRequest ManifestRequest(RegistryHost host, HttpMethod method, ImageReference repository, string tagOrDigest,
        IReadOnlyList<string> accept) => new()
    {
        Host = host,
        Method = method,
        Path = RepositoryPaths.Manifest(repository, tagOrDigest),
        Scope = AuthScope.Pull(repository.Path),
        Accept = accept,
    };

    // What a HEAD answer says, or null when it lacks something only the body can tell.
    private static Descriptor? DescriptorFromHeaders(HttpResponseMessage head, Digest? expected, string target)
    {
        var type = RegistryProtocol.ContentType(head);
        if (MediaTypes.IsSchema1(type))
        {
            throw ContentChecks.Schema1(target);
        }

        var length = RegistryProtocol.ContentLength(head);
        ManifestParser.EnsureSizeAllowed(length, target);
        var reported = RegistryProtocol.ContentDigest(head, target);
        if (expected is not null && reported is not null && reported.Algorithm == expected.Algorithm && !reported.Equals(expected))
        {
            throw ContentChecks.DigestMismatch(expected, reported, target);
        }

        // A digest reference is trusted as its own digest (containerd does the same); a tag needs the header.
        var digest = expected ?? reported;
        if (digest is null || length is null || type is null || ManifestParser.IsGenericMediaType(type))
        {
            return null;
        }

        return new Descriptor { MediaType = type, Digest = digest, Size = length.Value };
    }

    /// <summary>
    /// Reads a manifest body (never more than 4 MiB), checks size and digest against what was
    /// asked (<paramref name="expected"/>, <paramref name="expectedSize"/>) and against what the
    /// registry reports, refuses schema 1, and describes it: media type from <c>Content-Type</c>,
    /// or from the body when that is missing or generic.
    /// </summary>
    private static async Task<(Descriptor Descriptor, byte[] Body)> ReadManifestAsync(HttpResponseMessage response, Digest? expected, long? expectedSize,
        string target, CancellationToken cancellationToken)
    {
        var length = RegistryProtocol.ContentLength(response);
        ManifestParser.EnsureSizeAllowed(length, target);
        if (expectedSize is { } size && length is { } declared && declared != size)
        {
            throw ContentChecks.SizeMismatch(target, $"the registry sends {declared} bytes, the descriptor says {size}");
        }

        byte[] body;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                body = await ManifestParser.ReadBodyAsync(stream, length, target, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new ManifestBodyBrokenException(target, e);
        }

        if (expectedSize is { } wanted && body.Length != wanted)
        {
            throw ContentChecks.SizeMismatch(target, $"the registry sent {body.Length} bytes, the descriptor says {wanted}");
        }

        var reported = RegistryProtocol.ContentDigest(response, target);
        if (expected is not null)
        {
            ContentChecks.VerifyDigest(expected, body, target);
        }

        if (reported is not null && (expected is null || reported.Algorithm != expected.Algorithm) && reported.IsStorable)
        {
            ContentChecks.VerifyDigest(reported, body, target);
        }

        var declaredType = RegistryProtocol.ContentType(response);
        var bodyType = ManifestParser.DetectMediaType(body);
        if (MediaTypes.IsSchema1(declaredType) || MediaTypes.IsSchema1(bodyType))
        {
            throw ContentChecks.Schema1(target);
        }

        var mediaType = declaredType is not null && !ManifestParser.IsGenericMediaType(declaredType)
            ? declaredType
            : bodyType ?? declaredType ?? "application/octet-stream";
        var digest = expected ?? (reported is { IsStorable: true } ? reported : Digest.FromBytes(body));
        return (new Descriptor { MediaType = mediaType, Digest = digest, Size = body.Length }, body);
    }

    // Statuses that may mean "this server does not do HEAD" rather than an answer about the manifest.
    private static bool IsHeadRefused(HttpStatusCode status) =>
        status is HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented;

    private static bool IsMissing(ClassifiedException e) =>
        e.Class == ErrorClass.NotFound && e.ErrorId is ErrorIds.ManifestNotFound or ErrorIds.RepositoryNotFound or ErrorIds.BlobNotFound;
}
