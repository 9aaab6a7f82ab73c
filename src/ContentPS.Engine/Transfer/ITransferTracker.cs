using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer;

/// <summary>
/// Receives the state of every blob of a transfer, from any thread. A blob goes
/// <see cref="Waiting"/> → <see cref="AlreadyPresent"/>, or → (<see cref="Resumed"/>) →
/// <see cref="Downloading"/>… → <see cref="Done"/> or <see cref="Failed"/>. <see cref="Downloading"/>
/// is called for every buffer read, so an implementation must be cheap and must not allocate there.
/// </summary>
public interface ITransferTracker
{
    /// <summary>The blob is known and will be transferred (or found present) later.</summary>
    void Waiting(Descriptor blob);

    /// <summary><paramref name="offset"/> of the blob's <see cref="Descriptor.Size"/> bytes are in the store's ingest.</summary>
    void Downloading(Descriptor blob, long offset);

    /// <summary>A partial ingest of <paramref name="fromOffset"/> bytes is reused; the download starts there.</summary>
    void Resumed(Descriptor blob, long fromOffset);

    /// <summary>The blob was transferred and committed.</summary>
    void Done(Descriptor blob);

    /// <summary>The blob was in the store already; nothing was transferred.</summary>
    void AlreadyPresent(Descriptor blob);

    void Failed(Descriptor blob, Exception error);
}
