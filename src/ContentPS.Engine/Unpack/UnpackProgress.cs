using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Unpack;

/// <summary>
/// Progress of an unpack: the layer being applied (1-based <paramref name="Layer"/> of <paramref name="LayerCount"/>),
/// how much of its compressed blob has been read, and the totals written so far. <paramref name="LayerDone"/> is true
/// on the last report of each layer.
/// </summary>
public sealed record UnpackProgress(
    int Layer,
    int LayerCount,
    Descriptor LayerDescriptor,
    long LayerBytesRead,
    long Files,
    long Bytes,
    bool LayerDone);
