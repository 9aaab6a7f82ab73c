using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images.Handlers;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer;

/// <summary>What <see cref="FetchHandler.FetchAsync"/> did for one descriptor.</summary>
public enum FetchOutcome
{
    /// <summary>Downloaded from the start and committed.</summary>
    Fetched,

    /// <summary>A partial ingest was completed (a Range request from its offset) and committed.</summary>
    Resumed,

    /// <summary>The store had it (or another writer committed it while we waited); no request was made.</summary>
    AlreadyPresent,
}

/// <summary>
/// containerd's FetchHandler: brings each descriptor's content from a registry repository into a
/// store. The ingest writer is opened with the expected descriptor <em>before</em> the registry is
/// asked, so present content costs no request, and a ref another writer (thread or process) holds
/// is waited for until it is free or its content is committed (<see cref="ContentHelpers.OpenWriterAsync(IContentIngester, string, Descriptor?, CancellationToken)"/>).
/// A partial ingest resumes from its offset with a Range request. Manifests and indexes are read
/// with <see cref="RegistryClient.FetchManifestAsync"/> (exact bytes, verified, at most 4 MiB); other
/// blobs stream from <see cref="RegistryClient.OpenBlobAsync(ImageReference, Descriptor, long, CancellationToken)"/>.
/// The commit verifies size and digest; a mismatch removes the ingest and throws, so nothing wrong
/// is committed. Content embedded in the descriptor (<c>data</c>) and the empty blob need no request.
/// The handler returns no children (use <c>Children</c> after it in the chain); labels are not its concern.
/// </summary>
public sealed class FetchHandler
{
    private readonly IContentIngester _ingester;
    private readonly RegistryClient _client;
    private readonly ImageReference _repository;
    private readonly ITransferTracker _tracker;

    /// <param name="ingester">The store to write to.</param>
    /// <param name="client">The registry client to read with.</param>
    /// <param name="repository">The repository the content is in (its tag and digest are ignored).</param>
    /// <param name="tracker">Told every blob's state; null: nobody.</param>
    public FetchHandler(IContentIngester ingester, RegistryClient client, ImageReference repository, ITransferTracker? tracker = null)
    {
        ArgumentNullException.ThrowIfNull(ingester);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(repository);
        _ingester = ingester;
        _client = client;
        _repository = repository;
        _tracker = tracker ?? NullTransferTracker.Instance;
    }

    /// <summary>The repository content is read from.</summary>
    public ImageReference Repository => _repository;

    /// <summary>The handler: fetches the node's descriptor; no children.</summary>
    public ImageHandler Handler => HandleAsync;

    public async ValueTask<HandlerResult> HandleAsync(ImageNode node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        await FetchAsync(node.Descriptor, cancellationToken).ConfigureAwait(false);
        return HandlerResult.None;
    }

    /// <summary>Makes <paramref name="descriptor"/>'s content present in the store.</summary>
    /// <exception cref="InvalidArgumentException">A descriptor without digest, with a negative size, or of size 0 that is not the empty blob (<c>InvalidSize</c>).</exception>
    public async Task<FetchOutcome> FetchAsync(Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        Validate(descriptor);
        _tracker.Waiting(descriptor);
        try
        {
            var writer = await ContentHelpers.OpenWriterAsync(_ingester, IngestRef(descriptor), descriptor, cancellationToken).ConfigureAwait(false);
            if (writer is null)
            {
                _tracker.AlreadyPresent(descriptor);
                return FetchOutcome.AlreadyPresent;
            }

            FetchOutcome outcome;
            await using (writer.ConfigureAwait(false))
            {
                outcome = await CopyIntoAsync(writer, descriptor, cancellationToken).ConfigureAwait(false);
            }

            if (outcome == FetchOutcome.AlreadyPresent)
            {
                _tracker.AlreadyPresent(descriptor);
            }
            else
            {
                _tracker.Done(descriptor);
            }

            return outcome;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A canceled fetch did not fail: its partial ingest stays for the next attempt.
            _tracker.Failed(descriptor, e);
            throw;
        }
    }

    /// <summary>
    /// The ingest ref of a descriptor's content, the same in every process (containerd's <c>MakeRefKey</c>
    /// kinds without its ref-name part): <c>index-</c>, <c>manifest-</c>, <c>layer-</c>, <c>config-</c> or
    /// <c>unknown-</c>, then the digest.
    /// </summary>
    public static string IngestRef(Descriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var kind = MediaTypes.IsIndex(descriptor.MediaType) ? "index"
            : MediaTypes.IsManifest(descriptor.MediaType) ? "manifest"
            : MediaTypes.IsLayer(descriptor.MediaType) ? "layer"
            : MediaTypes.IsConfig(descriptor.MediaType) ? "config"
            : "unknown";
        return $"{kind}-{descriptor.Digest}";
    }

    private async Task<FetchOutcome> CopyIntoAsync(IContentWriter writer, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var offset = writer.Status().Offset;
        if (offset > descriptor.Size)
        {
            // Not a prefix of this blob: start again.
            await writer.TruncateAsync(0, cancellationToken).ConfigureAwait(false);
            offset = 0;
        }

        var outcome = offset > 0 ? FetchOutcome.Resumed : FetchOutcome.Fetched;
        if (offset > 0)
        {
            _tracker.Resumed(descriptor, offset);
        }

        _tracker.Downloading(descriptor, offset);
        bool committed;
        if (offset == descriptor.Size && offset > 0)
        {
            committed = await CommitAsync(writer, descriptor, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var source = await OpenSourceAsync(descriptor, offset, cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var tracked = new TrackedReadStream(source, descriptor, _tracker, source.CanSeek ? source.Position : 0);
                committed = await ContentHelpers.CopyAsync(writer, tracked, descriptor.Size, descriptor.Digest, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
            }
        }

        return committed ? outcome : FetchOutcome.AlreadyPresent;
    }

    private async Task<Stream> OpenSourceAsync(Descriptor descriptor, long offset, CancellationToken cancellationToken)
    {
        if (descriptor.Data is not null)
        {
            return new MemoryStream(descriptor.Data, writable: false);
        }

        if (descriptor.Size == 0)
        {
            return new MemoryStream([], writable: false); // the empty blob (Validate allowed no other)
        }

        if (MediaTypes.IsIndex(descriptor.MediaType) || MediaTypes.IsManifest(descriptor.MediaType))
        {
            var manifest = await _client.FetchManifestAsync(_repository, descriptor, cancellationToken).ConfigureAwait(false);
            return new MemoryStream(manifest.Body, writable: false);
        }

        return await _client.OpenBlobAsync(_repository, descriptor, offset, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> CommitAsync(IContentWriter writer, Descriptor descriptor, CancellationToken cancellationToken)
    {
        try
        {
            await writer.CommitAsync(descriptor.Size, descriptor.Digest, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (Errors.IsAlreadyExists(e))
        {
            return false;
        }
    }

    private static void Validate(Descriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Digest is null || descriptor.Size < 0)
        {
            throw new InvalidArgumentException($"the descriptor {descriptor} has no digest or a negative size", ErrorIds.InvalidDescriptor);
        }

        descriptor.VerifyData();
        if (descriptor.Size == 0 && !IsEmptyBlob(descriptor.Digest))
        {
            // A registry front end that sent no Content-Length, most likely: nothing of size 0 can have this digest.
            throw new InvalidArgumentException(
                $"the descriptor of {descriptor.Digest} ({descriptor.MediaType}) says its size is 0, but it is not the empty blob", ErrorIds.InvalidSize)
            { Target = descriptor.Digest.ToString() };
        }
    }

    private static bool IsEmptyBlob(Digest digest) =>
        digest.IsStorable && digest.Equals(Digest.FromBytes([], digest.Algorithm));
}
