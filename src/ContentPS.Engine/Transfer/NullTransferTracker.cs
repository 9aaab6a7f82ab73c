using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer;

/// <summary>A tracker that ignores everything.</summary>
public sealed class NullTransferTracker : ITransferTracker
{
    public static NullTransferTracker Instance { get; } = new();

    private NullTransferTracker()
    {
    }

    public void Waiting(Descriptor blob)
    {
    }

    public void Downloading(Descriptor blob, long offset)
    {
    }

    public void Resumed(Descriptor blob, long fromOffset)
    {
    }

    public void Done(Descriptor blob)
    {
    }

    public void AlreadyPresent(Descriptor blob)
    {
    }

    public void Failed(Descriptor blob, Exception error)
    {
    }
}
