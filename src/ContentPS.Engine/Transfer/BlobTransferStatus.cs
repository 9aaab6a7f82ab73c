using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer;

/// <summary>One blob's state as a <see cref="TransferTracker"/> last saw it.</summary>
/// <param name="Blob">The blob.</param>
/// <param name="State">Where it is.</param>
/// <param name="Offset">Bytes of it in the store's ingest (its size once done or present).</param>
/// <param name="ResumedFrom">The partial ingest's size the download started from; 0 when it started from scratch.</param>
/// <param name="Error">Why it failed, when <see cref="State"/> is <see cref="BlobTransferState.Failed"/>.</param>
public readonly record struct BlobTransferStatus(Descriptor Blob, BlobTransferState State, long Offset, long ResumedFrom, Exception? Error = null)
{
    public long Total => Blob.Size;
}
