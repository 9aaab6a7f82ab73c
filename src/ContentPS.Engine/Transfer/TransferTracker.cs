using System.Collections.Concurrent;
using System.Diagnostics;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Transfer;

/// <summary>
/// The usual <see cref="ITransferTracker"/>: keeps every blob's state (one entry per digest) and sums
/// them up in <see cref="Snapshot"/>. <see cref="Changed"/> is raised on every state change and, while a
/// blob downloads, at most once per <see cref="ProgressInterval"/> for it (and when its last byte
/// arrives); with no subscriber a byte update costs a lookup and a lock. Every call is passed on to
/// the tracker given to the constructor, if any. Thread-safe.
/// </summary>
public sealed class TransferTracker : ITransferTracker
{
    public static readonly TimeSpan DefaultProgressInterval = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<Digest, Entry> _blobs = new();
    private readonly ITransferTracker? _forward;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _intervalTicks;
    private long _starts;

    /// <param name="forward">Receives every call too (e.g. a cmdlet's renderer); null: none.</param>
    /// <param name="progressInterval">The least time between two byte-progress events of one blob; null: <see cref="DefaultProgressInterval"/>.</param>
    public TransferTracker(ITransferTracker? forward = null, TimeSpan? progressInterval = null)
    {
        _forward = forward;
        ProgressInterval = progressInterval ?? DefaultProgressInterval;
        ArgumentOutOfRangeException.ThrowIfLessThan(ProgressInterval, TimeSpan.Zero, nameof(progressInterval));
        _intervalTicks = (long)(ProgressInterval.TotalSeconds * Stopwatch.Frequency);
    }

    public TimeSpan ProgressInterval { get; }

    /// <summary>A blob's state changed, or it downloaded more (throttled per blob).</summary>
    public event EventHandler<BlobTransferStatus>? Changed;

    public void Waiting(Descriptor blob)
    {
        _forward?.Waiting(blob);
        var entry = EntryFor(blob);
        lock (entry)
        {
            // A blob seen again (a digest repeated in the graph) keeps its progress; only a failed one starts over.
            if (entry.IsNew || entry.State == BlobTransferState.Failed)
            {
                entry.IsNew = false;
                entry.State = BlobTransferState.Waiting;
                entry.Error = null;
                Raise(entry);
            }
        }
    }

    public void Resumed(Descriptor blob, long fromOffset)
    {
        _forward?.Resumed(blob, fromOffset);
        var entry = EntryFor(blob);
        lock (entry)
        {
            entry.IsNew = false;
            entry.Offset = fromOffset;
            entry.ResumedFrom = fromOffset;
            Start(entry);
            Raise(entry);
        }
    }

    public void Downloading(Descriptor blob, long offset)
    {
        _forward?.Downloading(blob, offset);
        var entry = EntryFor(blob);
        lock (entry)
        {
            entry.IsNew = false;
            var changedState = entry.State != BlobTransferState.Downloading;
            if (changedState)
            {
                Start(entry);
            }

            if (offset > entry.Offset)
            {
                entry.Fetched += offset - entry.Offset;
            }

            entry.Offset = offset;
            if (Changed is null)
            {
                return;
            }

            var now = _clock.ElapsedTicks;
            if (changedState || offset >= entry.Blob.Size || now - entry.LastRaised >= _intervalTicks)
            {
                entry.LastRaised = now;
                Raise(entry);
            }
        }
    }

    public void Done(Descriptor blob)
    {
        _forward?.Done(blob);
        Finish(blob, BlobTransferState.Done, null);
    }

    public void AlreadyPresent(Descriptor blob)
    {
        _forward?.AlreadyPresent(blob);
        Finish(blob, BlobTransferState.AlreadyPresent, null);
    }

    public void Failed(Descriptor blob, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _forward?.Failed(blob, error);
        Finish(blob, BlobTransferState.Failed, error);
    }

    /// <summary>The state of one blob; null when the tracker never heard of it.</summary>
    public BlobTransferStatus? Status(Digest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        if (!_blobs.TryGetValue(digest, out var entry))
        {
            return null;
        }

        lock (entry)
        {
            return entry.ToStatus();
        }
    }

    /// <summary>The states of every blob, in no particular order.</summary>
    public IReadOnlyList<BlobTransferStatus> Blobs()
    {
        var all = new List<BlobTransferStatus>(_blobs.Count);
        foreach (var entry in _blobs.Values)
        {
            lock (entry)
            {
                all.Add(entry.ToStatus());
            }
        }

        return all;
    }

    /// <summary>The totals now.</summary>
    public TransferSnapshot Snapshot()
    {
        int waiting = 0, downloading = 0, done = 0, present = 0, failed = 0, resumed = 0;
        long fetched = 0, resumedFrom = 0, total = 0, completed = 0;
        var active = new List<(long Order, BlobTransferStatus Status)>();
        foreach (var entry in _blobs.Values)
        {
            lock (entry)
            {
                total += entry.Blob.Size;
                fetched += entry.Fetched;
                if (entry.ResumedFrom > 0)
                {
                    resumed++;
                    resumedFrom += entry.ResumedFrom;
                }

                switch (entry.State)
                {
                    case BlobTransferState.Waiting:
                        waiting++;
                        break;
                    case BlobTransferState.Downloading:
                        downloading++;
                        completed += entry.Offset;
                        active.Add((entry.StartOrder, entry.ToStatus()));
                        break;
                    case BlobTransferState.Done:
                        done++;
                        completed += entry.Blob.Size;
                        break;
                    case BlobTransferState.AlreadyPresent:
                        present++;
                        completed += entry.Blob.Size;
                        break;
                    case BlobTransferState.Failed:
                        failed++;
                        break;
                }
            }
        }

        active.Sort((a, b) => a.Order.CompareTo(b.Order));
        return new TransferSnapshot
        {
            Waiting = waiting,
            Downloading = downloading,
            Done = done,
            AlreadyPresent = present,
            Failed = failed,
            Resumed = resumed,
            BytesFetched = fetched,
            BytesResumedFrom = resumedFrom,
            TotalBytes = total,
            CompletedBytes = completed,
            Elapsed = _clock.Elapsed,
            Active = active.ConvertAll(a => a.Status),
        };
    }

    private Entry EntryFor(Descriptor blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return _blobs.TryGetValue(blob.Digest, out var entry) ? entry : _blobs.GetOrAdd(blob.Digest, _ => new Entry(blob));
    }

    private void Start(Entry entry)
    {
        entry.State = BlobTransferState.Downloading;
        entry.Error = null;
        entry.StartOrder = Interlocked.Increment(ref _starts);
    }

    private void Finish(Descriptor blob, BlobTransferState state, Exception? error)
    {
        var entry = EntryFor(blob);
        lock (entry)
        {
            entry.IsNew = false;
            entry.State = state;
            entry.Error = error;
            if (state != BlobTransferState.Failed)
            {
                entry.Offset = entry.Blob.Size;
            }

            Raise(entry);
        }
    }

    // Called under the entry's lock, so one blob's events arrive in order.
    private void Raise(Entry entry) => Changed?.Invoke(this, entry.ToStatus());

    private sealed class Entry(Descriptor blob)
    {
        public Descriptor Blob { get; } = blob;

        public bool IsNew { get; set; } = true;

        public BlobTransferState State { get; set; } = BlobTransferState.Waiting;

        public long Offset { get; set; }

        public long ResumedFrom { get; set; }

        public long Fetched { get; set; }

        public Exception? Error { get; set; }

        public long LastRaised { get; set; }

        public long StartOrder { get; set; }

        public BlobTransferStatus ToStatus() => new(Blob, State, Offset, ResumedFrom, Error);
    }
}
