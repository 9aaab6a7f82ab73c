namespace ContentPS.Engine.Transfer;

/// <summary>Where one blob of a transfer is.</summary>
public enum BlobTransferState
{
    Waiting,
    Downloading,
    Done,
    AlreadyPresent,
    Failed,
}
