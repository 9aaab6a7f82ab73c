using System.Net;
using System.Net.Http.Headers;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes.Client;

namespace ContentPS.Engine.Remotes;

public sealed partial class RegistryClient
{
    /// <summary>
    /// A seekable stream of the blob <paramref name="descriptor"/> names (<c>/blobs/&lt;digest&gt;</c>,
    /// redirects followed by the transport), <see cref="Stream.Length"/> = the descriptor's size:
    /// a seek or a dropped connection reopens with a closed <c>Range</c> from the current offset
    /// (see <see cref="RemoteBlobStream"/>). The descriptor's <c>urls</c> (foreign layers) are
    /// tried first, in order, only when <see cref="RegistryClientOptions.AllowForeignUrls"/> is
    /// set; then the registry's pull hosts. The digest is not verified here: write the stream to
    /// the content store, whose commit verifies it. The first request is made before this returns,
    /// so a missing blob fails here (BlobNotFound).
    /// </summary>
    public Task<Stream> OpenBlobAsync(ImageReference repository, Descriptor descriptor, CancellationToken cancellationToken = default) =>
        OpenBlobAsync(repository, descriptor, 0, cancellationToken);

    /// <summary>
    /// As <see cref="OpenBlobAsync(ImageReference, Descriptor, CancellationToken)"/>, the stream positioned
    /// at <paramref name="offset"/>: the first request asks for the rest of the blob with a <c>Range</c>
    /// (none at 0; no request at all when <paramref name="offset"/> is the size). Resumes a partial ingest.
    /// </summary>
    public async Task<Stream> OpenBlobAsync(ImageReference repository, Descriptor descriptor, long offset, CancellationToken cancellationToken = default)
    {
        RequireRepository(repository);
        RequireDescriptor(descriptor);
        if (offset < 0 || offset > descriptor.Size)
        {
            throw Errors.New(ErrorClass.OutOfRange, $"cannot read {descriptor.Digest} from {offset}; it has {descriptor.Size} bytes", ErrorIds.OutOfRange,
                target: descriptor.Digest.ToString());
        }

        var target = RepositoryPaths.Target(repository, descriptor.Digest);
        if (Options.AllowForeignUrls && descriptor.Urls is { Count: > 0 } urls)
        {
            var registryHost = _hosts.HostsFor(repository.Domain, HostCapabilities.Pull)[0];
            foreach (var url in urls)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                {
                    Options.Log.Verbose($"{target}: skipping the foreign URL \"{url}\" (not an http or https URL)");
                    continue;
                }

                try
                {
                    // Host is the registry's only as the request's origin: the transport sends its
                    // Authorization to that host alone, never to the foreign URL's.
                    return await OpenBlobStreamAsync(registryHost, repository, descriptor, offset, uri, target, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
                {
                    Options.Log.Verbose($"{target}: the foreign URL {Diagnostics.RequestLog.RedactUrl(uri)} failed ({e.Message}); trying the next source");
                }
            }
        }

        return await _hosts.RunAsync(repository.Domain, HostCapabilities.Pull,
            host => OpenBlobStreamAsync(host, repository, descriptor, offset, url: null, target, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>HEAD <c>/blobs/&lt;digest&gt;</c>: the blob's descriptor (size from <c>Content-Length</c>, media type <c>application/octet-stream</c>), or null when the registry has none.</summary>
    public async Task<Descriptor?> TryGetBlobAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default)
    {
        RequireRepository(repository);
        ArgumentNullException.ThrowIfNull(digest);
        var target = RepositoryPaths.Target(repository, digest);
        try
        {
            return await _hosts.RunAsync(repository.Domain, HostCapabilities.Pull,
                host => HeadBlobAsync(host, repository, digest, AuthScope.Pull(repository.Path), target, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ClassifiedException e) when (IsMissing(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Makes the blob exist in <paramref name="repository"/>: nothing when HEAD finds it
    /// (Existed); a cross-repository mount from the first of <paramref name="mountFrom"/> on the
    /// same registry that has it (Mounted); else an upload (Uploaded) streamed from
    /// <paramref name="openContent"/>, which is opened only when bytes are sent (once per attempt).
    /// </summary>
    /// <remarks>
    /// The upload is one <c>PUT ?digest=</c> of the whole blob, or <c>PATCH</c> chunks when
    /// <see cref="RegistryClientOptions.ChunkSize"/> is set and the blob is at least that large, or
    /// when the registry sends <c>OCI-Chunk-Min-Length</c> (chunks are then at least that long).
    /// A failure after an upload session was opened deletes the session (best effort) before
    /// the error is thrown. A mount asks for push on the target and pull on the source.
    /// </remarks>
    /// <param name="mountFrom">
    /// Repositories the blob is known to be in: paths on the same registry (<c>team/app</c>, as in
    /// a <c>containerd.io/distribution.source.&lt;host&gt;</c> label) or full names; those of other registries are ignored.
    /// </param>
    public async Task<BlobPushResult> PushBlobAsync(ImageReference repository, Descriptor descriptor, Func<CancellationToken, Task<Stream>> openContent,
        IReadOnlyCollection<string>? mountFrom = null, CancellationToken cancellationToken = default)
    {
        RequireRepository(repository);
        RequireDescriptor(descriptor);
        ArgumentNullException.ThrowIfNull(openContent);
        if (Options.ChunkSize is <= 0)
        {
            throw Errors.New(ErrorClass.InvalidArgument, $"the chunk size must be positive, not {Options.ChunkSize}", ErrorIds.InvalidSize);
        }

        var target = RepositoryPaths.Target(repository, descriptor.Digest);
        var sources = MountSources.SameRegistry(mountFrom, repository);
        return await _hosts.RunAsync(repository.Domain, HostCapabilities.Push,
            host => PushBlobOnHostAsync(host, repository, descriptor, openContent, sources, target, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task<Stream> OpenBlobStreamAsync(RegistryHost host, ImageReference repository, Descriptor descriptor, long startOffset, Uri? url, string target,
        CancellationToken cancellationToken)
    {
        var path = RepositoryPaths.Blob(repository, descriptor.Digest);
        IReadOnlyList<string> accept = [MediaTypes.StripParameters(descriptor.MediaType), "*/*"];
        return await RemoteBlobStream.OpenAsync((offset, token) => _transport.SendAsync(new RegistryRequest
        {
            Host = host,
            Method = HttpMethod.Get,
            Path = path,
            Url = url,
            Scope = AuthScope.Pull(repository.Path),
            Accept = accept,
            Range = offset > 0 ? new RangeHeaderValue(offset, descriptor.Size - 1) : null,
        }, token), descriptor.Size, startOffset, Options.MaximumRetryCount, target, Options.Log, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Descriptor> HeadBlobAsync(RegistryHost host, ImageReference repository, Digest digest, AuthScope scope, string target,
        CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(new RegistryRequest
        {
            Host = host,
            Method = HttpMethod.Head,
            Path = RepositoryPaths.Blob(repository, digest),
            Scope = scope,
            ExpectedStatuses = [(int)HttpStatusCode.NotFound],
        }, cancellationToken).ConfigureAwait(false);
        await RegistryResponses.ThrowForStatusAsync(response, $"check {target}", target, ErrorIds.BlobNotFound, cancellationToken).ConfigureAwait(false);
        var size = RegistryProtocol.ContentLength(response)
            ?? throw RegistryProtocol.Violation($"check {target}: the registry's answer has no Content-Length", target);
        return new Descriptor { MediaType = "application/octet-stream", Digest = digest, Size = size };
    }

    private async Task<BlobPushResult> PushBlobOnHostAsync(RegistryHost host, ImageReference repository, Descriptor descriptor,
        Func<CancellationToken, Task<Stream>> openContent, IReadOnlyList<string> mountSources, string target, CancellationToken cancellationToken)
    {
        var pushScope = AuthScope.Push(repository.Path);
        try
        {
            await HeadBlobAsync(host, repository, descriptor.Digest, pushScope, target, cancellationToken).ConfigureAwait(false);
            return new BlobPushResult(descriptor, BlobPushOutcome.Existed);
        }
        catch (ClassifiedException e) when (IsMissing(e))
        {
            // not there yet: mount or upload
        }

        BlobUploadSession? session = null;
        for (int i = 0; i < mountSources.Count && session is null; i++)
        {
            var source = mountSources[i];
            var scope = pushScope.Merge(AuthScope.Pull(source));
            var request = UploadStartRequest(host, repository, scope,
                $"mount={Uri.EscapeDataString(descriptor.Digest.ToString())}&from={Uri.EscapeDataString(source)}");
            using var response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                Options.Log.Verbose($"{target}: mounted from {source}");
                return new BlobPushResult(descriptor, BlobPushOutcome.Mounted, source);
            }

            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                // The registry could not mount (the source lacks the blob or we may not read it) and opened an upload instead.
                var opened = BlobUploadSession.FromAccepted(response, request.RequestUri, _transport, host, pushScope, target, Options.Log);
                if (i == mountSources.Count - 1)
                {
                    session = opened;
                }
                else
                {
                    await opened.CancelAsync().ConfigureAwait(false);
                }

                continue;
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                // As containerd: a source we may not read is no reason to fail the push.
                Options.Log.Verbose($"{target}: cannot mount from {source} ({(int)response.StatusCode}); trying without it");
                continue;
            }

            await RegistryResponses.ThrowForStatusAsync(response, $"mount {target} from {source}", target, ErrorIds.BlobNotFound, cancellationToken)
                .ConfigureAwait(false);
            throw RegistryProtocol.Violation($"mount {target} from {source}: the registry answered {(int)response.StatusCode}, 201 or 202 expected", target);
        }

        if (session is null)
        {
            var request = UploadStartRequest(host, repository, pushScope, query: null);
            using var response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await RegistryResponses.ThrowForStatusAsync(response, $"start the upload of {target}", target, ErrorIds.RepositoryNotFound, cancellationToken)
                .ConfigureAwait(false);
            session = BlobUploadSession.FromAccepted(response, request.RequestUri, _transport, host, pushScope, target, Options.Log);
        }

        try
        {
            if (ChunkSizeFor(descriptor.Size, session.ChunkMinLength) is { } chunkSize)
            {
                Options.Log.Verbose($"{target}: uploading {descriptor.Size} bytes in chunks of {chunkSize}");
                await session.PatchChunksAsync(descriptor, openContent, chunkSize, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await session.PutAsync(descriptor, openContent, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await session.CancelAsync().ConfigureAwait(false);
            throw;
        }

        return new BlobPushResult(descriptor, BlobPushOutcome.Uploaded);
    }

    // Chunks when the registry asks for them (at least its minimum) or when the user chose a size the blob reaches.
    private long? ChunkSizeFor(long size, long? registryMinimum)
    {
        var chosen = Options.ChunkSize;
        if (registryMinimum is { } minimum)
        {
            return Math.Max(chosen ?? minimum, minimum);
        }

        return chosen is { } chunk && size >= chunk ? chunk : null;
    }

    // Opening an upload session (or mounting) is safe to repeat: a POST the registry failed or never answered at
    // worst leaves an empty session behind, which the registry expires; so the transport retries it like a GET.
    private static RegistryRequest UploadStartRequest(RegistryHost host, ImageReference repository, AuthScope scope, string? query) => new()
    {
        Host = host,
        Method = HttpMethod.Post,
        Path = RepositoryPaths.Uploads(repository),
        Query = query,
        Scope = scope,
        Content = () => new ByteArrayContent([]),
        Idempotent = true,
    };
}
