using System.Management.Automation;

namespace ContentPS.Tests.Hosting;

/// <summary>Signals shared between a probe running in a hosted pipeline and the test.</summary>
internal static class StreamProbe
{
    public static readonly ManualResetEventSlim Started = new();
    public static volatile bool Canceled;

    public static void Reset()
    {
        Started.Reset();
        Canceled = false;
    }
}

/// <summary>A cmdlet on the async base that exercises progress and engine messages.</summary>
[Cmdlet("Invoke", "StreamProbe")]
[OutputType(typeof(object))]
public sealed class InvokeStreamProbeCommand : ContentPSCmdlet
{
    private ProgressReporter? _callProgress;

    [Parameter(Mandatory = true, Position = 0)]
    public string Mode { get; set; } = "";

    [Parameter(ValueFromPipeline = true)]
    public int Item { get; set; }

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        if (Mode == "PerCall")
        {
            _callProgress = StartProgress("Probing the pipeline", "starting");
        }

        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        switch (Mode)
        {
            case "Log":
                WriteObject(EngineLog.IsVerboseEnabled);
                WriteObject(EngineLog.IsDebugEnabled);
                await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
                {
                    EngineLog.Warning("registry says: deprecated");
                    EngineLog.Verbose($"GET /v2/ #{i}");
                }, cancellationToken)));
                EngineLog.Debug("took 3 ms");
                EngineLog.Warning("registry says: slow down");
                break;
            case "Enabled":
                WriteObject(StartProgress("Probing", "starting").IsEnabled);
                break;
            case "Items":
            {
                ProgressReporter progress = StartProgress("Probing", "starting");
                for (int i = 0; i < 3; i++)
                {
                    using ProgressItem item = progress.StartItem($"item {i}", "waiting");
                    item.ReportBytes(50, 100);
                    item.ReportBytes(100, 100);
                }

                // Left open on purpose: the base completes it when the call ends.
                progress.Report("all items done", 100);
                break;
            }
            case "PerCall":
                _callProgress!.Report($"item {Item}");
                WriteObject(Item);
                break;
            case "Throw":
                StartProgress("Probing", "starting").StartItem("item", "waiting");
                throw new NotFoundException("nothing there", "ProbeNotFound");
            case "Block":
                StartProgress("Probing", "starting").StartItem("item", "waiting");
                StreamProbe.Started.Set();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    StreamProbe.Canceled = true;
                    throw;
                }

                break;
        }
    }
}
