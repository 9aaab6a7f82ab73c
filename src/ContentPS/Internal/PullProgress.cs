using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer;
using ContentPS.Formatting;

namespace ContentPS.Internal;

/// <summary>
/// Shows one image transfer (a pull, a copy, a publish) as Write-Progress: the reporter's activity carries
/// the totals (blobs done of known, bytes, throughput, percent) and a child per blob moving now carries
/// its bytes, under the transfer's verb ("Downloading", "Copying"). State is
/// sampled from a <see cref="TransferTracker"/> every <see cref="SampleInterval"/> on a timer rather than on
/// the tracker's events, so a transfer with hundreds of small blobs costs a few snapshots a second whatever
/// its speed. Disposing renders the final state and completes every record. With a disabled reporter
/// nothing runs and <see cref="Tracker"/> is null. (Named for its first use; pulls, copies, exports and
/// imports share it.)
/// </summary>
internal sealed class PullProgress : IAsyncDisposable
{
    public static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(200);

    private readonly ProgressReporter _reporter;
    private readonly string _activeStatus;
    private readonly TransferTracker? _tracker;
    private readonly Dictionary<Digest, ProgressItem> _children = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling = Task.CompletedTask;

    /// <param name="reporter">The call's activity (from <c>StartProgress</c>).</param>
    /// <param name="activeStatus">The status of a blob on its way ("Downloading", "Copying").</param>
    public PullProgress(ProgressReporter reporter, string activeStatus = "Downloading")
    {
        _reporter = reporter;
        _activeStatus = activeStatus;
        if (reporter.IsEnabled)
        {
            _tracker = new TransferTracker();
            _sampling = SampleAsync(_stop.Token);
        }
    }

    /// <summary>The tracker to hand the transfer (<see cref="PullRequest.Tracker"/>, a copy's); null when progress is not shown.</summary>
    public ITransferTracker? Tracker => _tracker;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _sampling.ConfigureAwait(false);
        if (_tracker is not null)
        {
            Render(_tracker.Snapshot());
        }

        _reporter.Complete();
        _stop.Dispose();
    }

    private async Task SampleAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                Render(_tracker!.Snapshot());
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The transfer ended; DisposeAsync renders the last state.
        }
    }

    // Only the sampling loop, then DisposeAsync after it ended, call this: no two renders overlap.
    private void Render(TransferSnapshot totals)
    {
        int finished = totals.Done + totals.AlreadyPresent;
        int percent = totals.TotalBytes > 0 ? (int)Math.Clamp(totals.CompletedBytes * 100 / totals.TotalBytes, 0, 100) : -1;
        string status = $"{finished} of {totals.Blobs} blobs, {DisplayText.Size(totals.CompletedBytes)} of {DisplayText.Size(totals.TotalBytes)}"
            + (totals.BytesFetched > 0 ? $", {DisplayText.Size((long)totals.BytesPerSecond)}/s" : "");
        _reporter.Report(status, percent);

        var active = new HashSet<Digest>();
        foreach (BlobTransferStatus blob in totals.Active)
        {
            active.Add(blob.Blob.Digest);
            if (!_children.TryGetValue(blob.Blob.Digest, out ProgressItem? child))
            {
                child = _reporter.StartItem($"{DisplayText.MediaType(blob.Blob.MediaType)} {DisplayText.Digest(blob.Blob.Digest.ToString())}", _activeStatus);
                _children.Add(blob.Blob.Digest, child);
            }

            child.ReportBytes(blob.Offset, blob.Total, blob.ResumedFrom > 0 ? $"resumed at {DisplayText.Size(blob.ResumedFrom)}" : null);
        }

        foreach (Digest gone in _children.Keys.Where(digest => !active.Contains(digest)).ToList())
        {
            _children[gone].Complete();
            _children.Remove(gone);
        }
    }
}
