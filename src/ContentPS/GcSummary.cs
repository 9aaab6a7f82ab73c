using ContentPS.Engine.Gc;

namespace ContentPS;

/// <summary>What one <c>Remove-UnreferencedContent</c> collection of a store removed and kept.</summary>
public sealed class GcSummary
{
    internal GcSummary(GcResult result, TimeSpan elapsed, string store)
    {
        BlobsRemoved = result.RemovedContent.Count;
        IngestsRemoved = result.RemovedIngests.Count;
        LeasesRemoved = result.RemovedLeases.Count;
        BytesFreed = result.BytesFreed;
        Kept = result.KeptContent;
        Elapsed = elapsed;
        Store = store;
        RemovedDigests = [.. result.RemovedContent.Select(c => c.Digest.ToString())];
        RemovedIngests = [.. result.RemovedIngests.Select(i => i.Ref)];
        Warnings = [.. result.Warnings];
    }

    /// <summary>Unreferenced blobs removed.</summary>
    public int BlobsRemoved { get; }

    /// <summary>Stale partial writes (ingests) removed.</summary>
    public int IngestsRemoved { get; }

    /// <summary>Leases removed because they expired or the process that held them died.</summary>
    public int LeasesRemoved { get; }

    /// <summary>Bytes of the removed blobs and ingests.</summary>
    public long BytesFreed { get; }

    /// <summary>Blobs kept because something refers to them.</summary>
    public int Kept { get; }

    /// <summary>How long the collection took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The store root collected.</summary>
    public string Store { get; }

    /// <summary>The digests of the removed blobs, in digest order.</summary>
    public string[] RemovedDigests { get; }

    /// <summary>The refs of the removed ingests.</summary>
    public string[] RemovedIngests { get; }

    /// <summary>Reachable indexes or manifests that could not be read, so their children were not followed (and were kept only if something else refers to them).</summary>
    public string[] Warnings { get; }

    public override string ToString() => $"{Store}: {BlobsRemoved} blobs, {IngestsRemoved} ingests removed, {BytesFreed} bytes freed";
}
