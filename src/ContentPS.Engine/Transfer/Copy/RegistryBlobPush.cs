using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Transfer.Copy;

/// <summary>
/// Makes one blob exist in a registry repository: existence check, a mount from the source's candidates,
/// or an upload streamed from the source through a digest check (a corrupt source fails before its last
/// bytes are sent). Tells the tracker how it went and counts the bytes uploaded.
/// </summary>
internal sealed class RegistryBlobPush(RegistryClient client, ImageReference destination, ICopySource source, ITransferTracker tracker)
{
    private long _bytesUploaded;

    public long BytesUploaded => Interlocked.Read(ref _bytesUploaded);

    public async Task<BlobPushResult> PushAsync(Descriptor blob, CancellationToken cancellationToken)
    {
        var mounts = await source.MountCandidatesAsync(blob, destination, cancellationToken).ConfigureAwait(false);
        var result = await PushAgainWhileUnavailableAsync(blob, mounts, OpenVerifiedAsync, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == BlobPushOutcome.Existed)
        {
            tracker.AlreadyPresent(blob);
        }
        else
        {
            if (result.Outcome == BlobPushOutcome.Uploaded)
            {
                Interlocked.Add(ref _bytesUploaded, blob.Size);
            }

            tracker.Done(blob);
        }

        return result;

        async Task<Stream> OpenVerifiedAsync(CancellationToken token)
        {
            var content = await source.OpenBlobAsync(blob, token).ConfigureAwait(false);
            return new TrackedReadStream(new VerifyingStream(content, blob), blob, tracker, 0);
        }
    }

    // A blob push as a whole is idempotent (it checks existence first), but the POST that opens an upload is
    // not and the transport does not retry it: an Unavailable push is started again, as often as the client retries.
    private async Task<BlobPushResult> PushAgainWhileUnavailableAsync(Descriptor blob, IReadOnlyCollection<string> mounts,
        Func<CancellationToken, Task<Stream>> openContent, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await client.PushBlobAsync(destination, blob, openContent, mounts, cancellationToken).ConfigureAwait(false);
            }
            catch (ClassifiedException e) when (e.Class == ErrorClass.Unavailable && attempt <= client.Options.MaximumRetryCount
                && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(client.Options.RetryInterval * attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
