using System.Management.Automation;
using System.Runtime.ExceptionServices;
using ContentPS.Engine.Diagnostics;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Internal;

namespace ContentPS;

/// <summary>
/// Base of every ContentPS cmdlet. Engine work runs on the thread pool through the
/// <c>*Async</c> overrides; every Write*, ShouldProcess and ThrowTerminatingError call they make,
/// from any thread, is queued and run on the pipeline thread, which drains the queue until the
/// task completes. <see cref="StopProcessing"/> (Ctrl+C, <c>Stop-Job</c>, …) cancels the token.
/// An exception that escapes a step becomes a terminating error built by
/// <see cref="ErrorRecordFactory"/>; cancellation caused by a stop becomes no error at all.
/// Progress goes through <see cref="StartProgress"/> (throttled, always completed when the call
/// ends, fails or is stopped) and engine messages through <see cref="EngineLog"/>
/// (<c>-Verbose</c>, <c>-Debug</c>, deduplicated warnings).
/// </summary>
/// <example>
/// A cmdlet that works on many items shows one activity for the whole call (start it in
/// <see cref="BeginProcessingAsync"/> when pipeline input arrives item by item) and one child per
/// item. Report as often as is convenient: each record is written at most five times a second,
/// the newest state is never lost, and every record still open is completed when the call ends,
/// fails or is stopped. With <c>$ProgressPreference = 'SilentlyContinue'</c> (or
/// <c>-ProgressAction SilentlyContinue</c>) <see cref="StartProgress"/> returns
/// <see cref="ProgressReporter.Disabled"/>, whose every call returns at once; check
/// <see cref="ProgressReporter.IsEnabled"/> before building an expensive status text.
/// <c>ImportBlobCommand</c> shows the whole pattern: it starts the activity with the first large
/// file, adds a child per large file, and reports from the engine's <see cref="IProgress{T}"/> callbacks.
/// Engine code takes an <see cref="IEngineLog"/>: pass <see cref="EngineLog"/>. Its
/// <see cref="IEngineLog.Verbose"/> lines (one per request: method, URL without secrets, status,
/// retry decision) show with <c>-Verbose</c>, <see cref="IEngineLog.Debug"/> lines (timings) with
/// <c>-Debug</c>, and <see cref="IEngineLog.Warning"/> (a registry's <c>Warning</c> header) is
/// written once per distinct text per call.
/// </example>
public abstract class ContentPSCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<ProgressReporter> _reporters = [];
    private PipelineQueue? _queue;
    private Dictionary<string, StoreImageReader>? _storeImageReaders;
    private IEngineLog? _engineLog;
    private bool _streamsResolved;
    private bool _progressEnabled;
    private int _pipelineThreadId = -1;
    private int _lastActivityId;
    private readonly long _progressSourceId = Interlocked.Increment(ref s_lastProgressSourceId);

    /// <summary>Progress source ids of ContentPS calls, far from the small ids PowerShell hands out itself.</summary>
    private static long s_lastProgressSourceId = 0x4350_5300_0000_0000;

    /// <summary>Canceled when the pipeline is stopped or this cmdlet gives up.</summary>
    protected CancellationToken StoppingToken => _stopping.Token;

    protected virtual Task BeginProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task ProcessRecordAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task EndProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected sealed override void BeginProcessing() => RunStep(BeginProcessingAsync, lastStep: false);

    protected sealed override void ProcessRecord() => RunStep(ProcessRecordAsync, lastStep: false);

    protected sealed override void EndProcessing() => RunStep(EndProcessingAsync, lastStep: true);

    /// <summary>
    /// Engine messages for this call: <see cref="IEngineLog.Verbose"/> and
    /// <see cref="IEngineLog.Debug"/> become Write-Verbose/Write-Debug when the caller asked for
    /// them, <see cref="IEngineLog.Warning"/> becomes Write-Warning once per distinct text. Pass
    /// it to engine code; usable from any thread while a step runs.
    /// </summary>
    protected IEngineLog EngineLog => _engineLog ?? NullEngineLog.Instance;

    /// <summary>
    /// Starts this call's progress activity (one per call; children per item through
    /// <see cref="ProgressReporter.StartItem"/>). Updates are throttled to about five a second
    /// per record. The activity is completed when disposed, and in any case when the call
    /// ends, fails or is stopped. When progress is not shown this returns
    /// <see cref="ProgressReporter.Disabled"/> and costs nothing.
    /// </summary>
    protected ProgressReporter StartProgress(string activity, string status)
    {
        if (!_progressEnabled)
        {
            return ProgressReporter.Disabled;
        }

        var reporter = new ProgressReporter(activity, status, WriteProgressRecord,
            () => Interlocked.Increment(ref _lastActivityId));
        lock (_reporters)
        {
            _reporters.Add(reporter);
        }

        return reporter;
    }

    protected override void StopProcessing()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Stop arrived after the cmdlet finished and was disposed: nothing left to cancel.
        }
    }

    /// <summary>Writes one object to the pipeline (from any thread).</summary>
    protected new void WriteObject(object? sendToPipeline) =>
        Queue.Post(() => base.WriteObject(sendToPipeline));

    /// <summary>
    /// Writes one object and waits until the pipeline thread has passed it downstream (from any thread): a producer
    /// that streams goes no further than its consumer has taken, so <c>Select-Object -First</c> stops it before its next step.
    /// </summary>
    protected void WriteObjectAndWait(object? sendToPipeline, CancellationToken cancellationToken) =>
        Queue.Invoke(() =>
        {
            base.WriteObject(sendToPipeline);
            return true;
        }, cancellationToken);

    /// <summary>Writes an object, enumerating it when asked (from any thread).</summary>
    protected new void WriteObject(object? sendToPipeline, bool enumerateCollection) =>
        Queue.Post(() => base.WriteObject(sendToPipeline, enumerateCollection));

    /// <summary>Writes a non-terminating error (from any thread).</summary>
    protected new void WriteError(ErrorRecord errorRecord) =>
        Queue.Post(() => base.WriteError(errorRecord));

    /// <summary>Writes a non-terminating error for one failing input item (from any thread).</summary>
    protected void WriteError(Exception exception, object? target) =>
        WriteError(ErrorRecordFactory.Create(exception, target));

    protected new void WriteVerbose(string text) => Queue.Post(() => base.WriteVerbose(text));

    protected new void WriteDebug(string text) => Queue.Post(() => base.WriteDebug(text));

    protected new void WriteWarning(string text) => Queue.Post(() => base.WriteWarning(text));

    protected new void WriteProgress(ProgressRecord progressRecord) =>
        Queue.Post(() => base.WriteProgress(progressRecord));

    protected new void WriteInformation(object messageData, string[] tags) =>
        Queue.Post(() => base.WriteInformation(messageData, tags));

    /// <summary>Asks ShouldProcess on the pipeline thread and waits for the answer.</summary>
    protected new bool ShouldProcess(string target) =>
        Queue.Invoke(() => base.ShouldProcess(target), StoppingToken);

    /// <summary>Asks ShouldProcess on the pipeline thread and waits for the answer.</summary>
    protected new bool ShouldProcess(string target, string action) =>
        Queue.Invoke(() => base.ShouldProcess(target, action), StoppingToken);

    /// <summary>Asks ShouldProcess on the pipeline thread and waits for the answer.</summary>
    protected new bool ShouldProcess(string verboseDescription, string verboseWarning, string caption) =>
        Queue.Invoke(() => base.ShouldProcess(verboseDescription, verboseWarning, caption), StoppingToken);

    /// <summary>
    /// Runs <paramref name="function"/> on the pipeline thread (scripts, session state) and waits for its result
    /// (from any thread; inline on the pipeline thread). An exception it throws also ends the step: catch inside.
    /// </summary>
    protected T InvokeOnPipelineThread<T>(Func<T> function) => Queue.Invoke(function, StoppingToken);

    /// <summary>
    /// Ends the call with <paramref name="errorRecord"/>. From an engine thread the record is
    /// carried out of the task and thrown on the pipeline thread.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    protected new void ThrowTerminatingError(ErrorRecord errorRecord)
    {
        if (_queue is { IsPipelineThread: true } || _queue is null)
        {
            base.ThrowTerminatingError(errorRecord);
        }

        throw new TerminatingErrorException(errorRecord);
    }

    /// <summary>Ends the call with a terminating error for <paramref name="exception"/>.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    protected void ThrowTerminatingError(Exception exception, object? target) =>
        ThrowTerminatingError(ErrorRecordFactory.Create(exception, target));

    /// <summary>-Local with -Remote ends the call (InvalidArgument): one reads only the store, the other only the registry.</summary>
    private protected void RejectLocalWithRemote(bool local, bool remote)
    {
        if (local && remote)
        {
            ThrowTerminatingError(new InvalidArgumentException(
                "-Local and -Remote cannot be used together: -Local reads only the content store and -Remote only the registry; "
                + "without either, the store is read when it has the image and the registry otherwise",
                ErrorIds.InvalidArgument), null);
        }
    }

    /// <summary>
    /// The image reader of the store at <paramref name="root"/> (null: the one -Store, given as
    /// <paramref name="storeParameter"/>, or the session names), opened once per root for this call; a
    /// terminating error when it is unusable.
    /// </summary>
    private protected StoreImageReader OpenStoreImageReader(string? root, string? storeParameter)
    {
        try
        {
            root ??= StoreRoot.Resolve(SessionState, storeParameter);
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, storeParameter);
        }

        _storeImageReaders ??= new Dictionary<string, StoreImageReader>(StringComparer.Ordinal);
        if (!_storeImageReaders.TryGetValue(root, out StoreImageReader? reader))
        {
            try
            {
                reader = StoreImageReader.Open(root);
            }
            catch (Exception ex)
            {
                ThrowTerminatingError(ex, root);
            }

            _storeImageReaders[root] = reader;
        }

        return reader;
    }

    /// <summary>
    /// The platforms of a -Platform/-AllPlatforms pair, parsed: null when none were given. Both given,
    /// or a specifier that does not parse, ends the call (InvalidArgument, the specifier as target).
    /// </summary>
    private protected IReadOnlyList<Platform>? ParsePlatformSelection(string[]? specifiers, bool allPlatforms)
    {
        if (specifiers is not { Length: > 0 })
        {
            return null;
        }

        if (allPlatforms)
        {
            ThrowTerminatingError(new InvalidArgumentException(
                "-Platform and -AllPlatforms cannot be used together: ask for some platforms or for all of them", ErrorIds.InvalidArgument), specifiers);
        }

        var platforms = new List<Platform>();
        foreach (string specifier in specifiers)
        {
            try
            {
                platforms.Add(Platforms.Parse(specifier));
            }
            catch (ClassifiedException ex)
            {
                ThrowTerminatingError(ex, specifier);
            }
        }

        return platforms;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Dispose();
        }
    }

    /// <summary>How often the waiting pipeline thread writes throttled progress that became due.</summary>
    private const int ProgressFlushMilliseconds = 100;

    private PipelineQueue Queue =>
        _queue ?? throw new InvalidOperationException("Output is only accepted while a processing step runs.");

    /// <summary>
    /// Reads, once and on the pipeline thread, which streams the caller wants: the common
    /// parameters when bound, else the preference variables.
    /// </summary>
    private void ResolveStreams()
    {
        if (_streamsResolved)
        {
            return;
        }

        _streamsResolved = true;
        _pipelineThreadId = Environment.CurrentManagedThreadId;
        _progressEnabled = Preferences.ProgressEnabled(this);
        _engineLog = new CmdletEngineLog(Preferences.VerboseEnabled(this), Preferences.DebugEnabled(this),
            WriteVerbose, WriteDebug, WriteWarning);
    }

    /// <summary>
    /// Writes a record of a <see cref="ProgressReporter"/> on the pipeline thread, with this call's
    /// own source id so the Completed records of a stopped call can go straight to the host (the
    /// command runtime refuses every write once the pipeline is stopping) and still match the
    /// bars they close.
    /// </summary>
    private void WriteProgressRecord(ProgressRecord record)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThreadId)
        {
            WriteProgressNow(record);
        }
        else
        {
            Queue.Post(() => WriteProgressNow(record));
        }
    }

    private void WriteProgressNow(ProgressRecord record)
    {
        try
        {
            CommandRuntime?.WriteProgress(_progressSourceId, record);
        }
        catch (PipelineStoppedException) when (record.RecordType == ProgressRecordType.Completed && Host?.UI is { } ui)
        {
            // The command runtime writes nothing once the pipeline is stopping, but the host
            // still takes records: without this a stopped call would leave its bars behind.
            ui.WriteProgress(_progressSourceId, record);
        }
    }

    private void FlushProgress()
    {
        ProgressReporter[] reporters;
        lock (_reporters)
        {
            reporters = [.. _reporters];
        }

        foreach (ProgressReporter reporter in reporters)
        {
            reporter.FlushDue();
        }
    }

    /// <summary>Writes the Completed record of every activity still open (on the pipeline thread).</summary>
    private void CompleteProgress()
    {
        ProgressReporter[] reporters;
        lock (_reporters)
        {
            reporters = [.. _reporters];
            _reporters.Clear();
        }

        foreach (ProgressReporter reporter in reporters)
        {
            try
            {
                reporter.Complete();
            }
            catch (PipelineStoppedException)
            {
                // The host is going away with the pipeline; it clears its progress display itself.
            }
        }
    }

    private void RunStep(Func<CancellationToken, Task> step, bool lastStep)
    {
        ResolveStreams();
        bool succeeded = false;
        try
        {
            RunStepCore(step);
            succeeded = true;
        }
        finally
        {
            // One activity per call: it ends with the call, or with the step that failed or was stopped.
            if (lastStep || !succeeded)
            {
                CompleteProgress();
            }
        }
    }

    private void RunStepCore(Func<CancellationToken, Task> step)
    {
        using var queue = new PipelineQueue();
        _queue = queue;
        Task task;
        try
        {
            CancellationToken token = _stopping.Token;
            task = Task.Run(() => step(token), token);
            task.ContinueWith(_ => queue.Complete(), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                queue.Drain(_progressEnabled ? FlushProgress : null, ProgressFlushMilliseconds);
            }
            catch
            {
                // The pipeline refused our output (downstream stopped, Select-Object -First, …):
                // stop the engine, let it finish, then let PowerShell see the original exception.
                queue.Complete();
                _stopping.Cancel();
                WaitQuietly(task);
                throw;
            }
        }
        finally
        {
            _queue = null;
        }

        if (task.IsCompletedSuccessfully)
        {
            return;
        }

        Exception failure = Unwrap(task);
        if (failure is OperationCanceledException && _stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }

        switch (failure)
        {
            case TerminatingErrorException terminating:
                base.ThrowTerminatingError(terminating.ErrorRecord);
                break;
            case PipelineStoppedException:
                ExceptionDispatchInfo.Capture(failure).Throw();
                break;
            default:
                base.ThrowTerminatingError(ErrorRecordFactory.Create(failure, target: null));
                break;
        }
    }

    private static Exception Unwrap(Task task)
    {
        if (task.IsCanceled)
        {
            return new OperationCanceledException();
        }

        AggregateException aggregate = task.Exception!;
        return aggregate.InnerExceptions.Count == 1 ? aggregate.InnerExceptions[0] : aggregate;
    }

    private static void WaitQuietly(Task task)
    {
        try
        {
            task.Wait();
        }
        catch (AggregateException)
        {
            // Already failing with the exception that stopped the drain.
        }
    }

    /// <summary>Carries a terminating ErrorRecord from an engine thread to the pipeline thread.</summary>
    private sealed class TerminatingErrorException(ErrorRecord errorRecord)
        : Exception(errorRecord.Exception?.Message)
    {
        public ErrorRecord ErrorRecord { get; } = errorRecord;
    }
}
