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
        var result = await client.PushBlobAsync(destination, blob, OpenVerifiedAsync, mounts, cancellationToken).ConfigureAwait(false);
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
}
