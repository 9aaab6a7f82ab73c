using System.Management.Automation;

namespace ContentPS;

/// <summary>
/// One progress activity for one cmdlet call, with a child activity per item (blob, manifest,
/// file) linked through <see cref="ProgressRecord.ParentActivityId"/>. Thread-safe: engine threads
/// report, the records reach the host through the cmdlet's queue.
/// </summary>
/// <remarks>
/// <para>Throttled per record: an update less than <see cref="Interval"/> after the last one
/// written for the same activity is kept as pending instead of written, so a host sees at most
/// about five updates a second per activity. A pending state is never lost: it is written by the
/// next update after the interval, by <see cref="FlushDue"/> (the cmdlet base calls it while it
/// waits for the engine), and the Completed record carries the last state.</para>
/// <para>Completing is always written, never throttled, and happens once: by
/// <see cref="Complete"/>/<see cref="Dispose"/>, or by the cmdlet base when the call ends,
/// fails or is stopped. Completing the activity completes its open children first.</para>
/// <para>When progress is not shown (<c>$ProgressPreference = 'SilentlyContinue'</c>,
/// <c>-ProgressAction SilentlyContinue</c>) the cmdlet gets <see cref="Disabled"/>: every
/// method returns at once and no record is built. Check <see cref="IsEnabled"/> before
/// formatting an expensive status text.</para>
/// </remarks>
public sealed class ProgressReporter : IDisposable
{
    /// <summary>The shortest time between two written updates of one activity (5 a second).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>A reporter that writes nothing; shared, allocation-free.</summary>
    public static readonly ProgressReporter Disabled = new();

    private readonly object _gate = new();
    private readonly Action<ProgressRecord>? _write;
    private readonly TimeProvider _time;
    private readonly Func<int> _nextActivityId;
    private readonly ProgressItem _root;
    private readonly List<ProgressItem> _children = [];
    private int _pending;

    /// <param name="activity">What the call does ("Saving docker.io/library/ubuntu:24.04").</param>
    /// <param name="status">The first status text.</param>
    /// <param name="write">Writes one record (the cmdlet's queued WriteProgress); called under this reporter's lock.</param>
    /// <param name="nextActivityId">Hands out activity ids unique within the cmdlet call.</param>
    /// <param name="time">The clock; tests pass a fake one.</param>
    /// <param name="interval">The throttle interval; <see cref="DefaultInterval"/> when null.</param>
    internal ProgressReporter(string activity, string status, Action<ProgressRecord> write, Func<int> nextActivityId,
        TimeProvider? time = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(nextActivityId);
        _write = write;
        _nextActivityId = nextActivityId;
        _time = time ?? TimeProvider.System;
        Interval = interval ?? DefaultInterval;
        _root = new ProgressItem(this, _nextActivityId(), parentId: -1, activity, status);
        lock (_gate)
        {
            Update(_root, status, -1, null, -1);
        }
    }

    private ProgressReporter()
    {
        _time = TimeProvider.System;
        _nextActivityId = () => 0;
        _root = new ProgressItem(null, 0, -1, "", "") { IsCompleted = true };
    }

    /// <summary>False for <see cref="Disabled"/>: nothing is written.</summary>
    public bool IsEnabled => _write is not null;

    /// <summary>The activity id of the call's record; children name it as their parent.</summary>
    public int ActivityId => _root.ActivityId;

    /// <summary>The shortest time between two written updates of one activity.</summary>
    public TimeSpan Interval { get; }

    /// <summary>True once the activity has been completed.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _root.IsCompleted;
            }
        }
    }

    /// <summary>Updates the call's activity.</summary>
    /// <param name="status">What is happening ("3 of 7 blobs, 41.2 MB").</param>
    /// <param name="percentComplete">0–100, or -1 when unknown (values outside are clamped).</param>
    /// <param name="currentOperation">An optional second line.</param>
    /// <param name="secondsRemaining">Seconds left, or -1 when unknown.</param>
    public void Report(string status, int percentComplete = -1, string? currentOperation = null, int secondsRemaining = -1) =>
        _root.Report(status, percentComplete, currentOperation, secondsRemaining);

    /// <summary>Starts a child activity for one item. Dispose (or complete) it when the item is done.</summary>
    public ProgressItem StartItem(string activity, string status)
    {
        if (_write is null)
        {
            return ProgressItem.Disabled;
        }

        lock (_gate)
        {
            if (_root.IsCompleted)
            {
                return ProgressItem.Disabled;
            }

            var item = new ProgressItem(this, _nextActivityId(), _root.ActivityId, activity, status);
            _children.Add(item);
            Update(item, status, -1, null, -1);
            return item;
        }
    }

    /// <summary>Writes pending updates whose interval has passed (called by the cmdlet base while it waits).</summary>
    public void FlushDue()
    {
        if (_write is null || Volatile.Read(ref _pending) == 0)
        {
            return;
        }

        lock (_gate)
        {
            FlushDueLocked(_time.GetTimestamp());
        }
    }

    /// <summary>Completes the open children, then the activity itself (once; later calls do nothing).</summary>
    public void Complete()
    {
        if (_write is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_root.IsCompleted)
            {
                return;
            }

            foreach (ProgressItem child in _children.ToArray())
            {
                CompleteLocked(child, null);
            }

            CompleteLocked(_root, null);
        }
    }

    /// <summary>Same as <see cref="Complete"/>.</summary>
    public void Dispose() => Complete();

    internal void Update(ProgressItem item, string? status, int percentComplete, string? currentOperation, int secondsRemaining)
    {
        if (_write is null)
        {
            return;
        }

        lock (_gate)
        {
            if (item.IsCompleted)
            {
                return;
            }

            item.Status = string.IsNullOrEmpty(status) ? item.Status : status;
            item.PercentComplete = Math.Clamp(percentComplete, -1, 100);
            item.CurrentOperation = currentOperation;
            item.SecondsRemaining = secondsRemaining < -1 ? -1 : secondsRemaining;
            long now = _time.GetTimestamp();
            if (item.LastWritten is not { } last || _time.GetElapsedTime(last, now) >= Interval)
            {
                WriteLocked(item, ProgressRecordType.Processing, now);
            }
            else if (!item.IsPending)
            {
                item.IsPending = true;
                _pending++;
            }

            FlushDueLocked(now);
        }
    }

    internal void Complete(ProgressItem item, string? status)
    {
        if (_write is null)
        {
            return;
        }

        lock (_gate)
        {
            CompleteLocked(item, status);
        }
    }

    private void CompleteLocked(ProgressItem item, string? status)
    {
        if (item.IsCompleted)
        {
            return;
        }

        if (!string.IsNullOrEmpty(status))
        {
            item.Status = status;
        }

        item.IsCompleted = true;
        if (!ReferenceEquals(item, _root))
        {
            _children.Remove(item);
        }

        // The Completed record carries the last state, so a pending (throttled) state is not lost.
        WriteLocked(item, ProgressRecordType.Completed, _time.GetTimestamp());
    }

    private void FlushDueLocked(long now)
    {
        if (_pending == 0)
        {
            return;
        }

        if (_root.IsPending && _time.GetElapsedTime(_root.LastWritten!.Value, now) >= Interval)
        {
            WriteLocked(_root, ProgressRecordType.Processing, now);
        }

        foreach (ProgressItem child in _children)
        {
            if (_pending == 0)
            {
                break;
            }

            if (child.IsPending && _time.GetElapsedTime(child.LastWritten!.Value, now) >= Interval)
            {
                WriteLocked(child, ProgressRecordType.Processing, now);
            }
        }
    }

    private void WriteLocked(ProgressItem item, ProgressRecordType type, long now)
    {
        if (item.IsPending)
        {
            item.IsPending = false;
            _pending--;
        }

        item.LastWritten = now;
        var record = new ProgressRecord(item.ActivityId, item.Activity, item.Status)
        {
            ParentActivityId = item.ParentActivityId,
            PercentComplete = item.PercentComplete,
            SecondsRemaining = item.SecondsRemaining,
            RecordType = type,
        };
        if (!string.IsNullOrEmpty(item.CurrentOperation))
        {
            record.CurrentOperation = item.CurrentOperation;
        }

        _write!(record);
    }
}

/// <summary>A child activity of a <see cref="ProgressReporter"/>: one item (blob, manifest, file).</summary>
public sealed class ProgressItem : IDisposable
{
    /// <summary>An item that writes nothing (from a disabled or completed reporter).</summary>
    public static readonly ProgressItem Disabled = new(null, 0, -1, "", "") { IsCompleted = true };

    private const string DefaultStatus = "Processing";
    private readonly ProgressReporter? _owner;

    internal ProgressItem(ProgressReporter? owner, int activityId, int parentId, string activity, string status)
    {
        _owner = owner;
        ActivityId = activityId;
        ParentActivityId = parentId;
        // ProgressRecord refuses an empty activity or status.
        Activity = string.IsNullOrEmpty(activity) ? DefaultStatus : activity;
        Status = string.IsNullOrEmpty(status) ? DefaultStatus : status;
    }

    public int ActivityId { get; }

    public int ParentActivityId { get; }

    public string Activity { get; }

    internal string Status { get; set; }

    internal int PercentComplete { get; set; } = -1;

    internal string? CurrentOperation { get; set; }

    internal int SecondsRemaining { get; set; } = -1;

    internal long? LastWritten { get; set; }

    internal bool IsPending { get; set; }

    internal bool IsCompleted { get; set; }

    /// <summary>Updates this item; throttled like every record of the reporter.</summary>
    public void Report(string status, int percentComplete = -1, string? currentOperation = null, int secondsRemaining = -1) =>
        _owner?.Update(this, status, percentComplete, currentOperation, secondsRemaining);

    /// <summary>Updates this item from a byte count: the status reads "done of total" and the percentage follows.</summary>
    public void ReportBytes(long done, long total, string? currentOperation = null)
    {
        if (_owner is not { IsEnabled: true } || IsCompleted)
        {
            return;
        }

        int percent = total > 0 ? (int)Math.Clamp(done * 100 / total, 0, 100) : -1;
        string status = total > 0 ? $"{FormatBytes(done)} of {FormatBytes(total)}" : FormatBytes(done);
        _owner.Update(this, status, percent, currentOperation, -1);
    }

    /// <summary>Writes this item's Completed record (once), with <paramref name="status"/> as its last status when given.</summary>
    public void Complete(string? status = null) => _owner?.Complete(this, status);

    /// <summary>Same as <see cref="Complete"/>.</summary>
    public void Dispose() => Complete();

    /// <summary>A human size: 512 B, 1.5 KB, 41.2 MB (powers of 1024, one decimal).</summary>
    public static string FormatBytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB"];
        double value = bytes;
        int unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
