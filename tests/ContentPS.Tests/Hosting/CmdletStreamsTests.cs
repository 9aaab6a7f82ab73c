using System.Management.Automation;

namespace ContentPS.Tests.Hosting;

/// <summary>Progress and engine messages through the async base, on a real pipeline.</summary>
[Collection(nameof(StreamProbe))]
public sealed class CmdletStreamsTests
{
    private static List<ProgressRecord> Completed(PSDataStreams streams) =>
        streams.Progress.Where(r => r.RecordType == ProgressRecordType.Completed).ToList();

    [Fact]
    public void Progress_is_shown_by_default()
    {
        using PowerShell shell = Hosted.Create();
        var (output, _, _) = Hosted.Run(shell, "Invoke-StreamProbe Enabled");
        Assert.Equal([true], output);
    }

    [Theory]
    [InlineData("$ProgressPreference = 'SilentlyContinue'; Invoke-StreamProbe Enabled")]
    [InlineData("$ProgressPreference = 'Ignore'; Invoke-StreamProbe Enabled")]
    [InlineData("Invoke-StreamProbe Enabled -ProgressAction SilentlyContinue")]
    public void Hidden_progress_gets_the_disabled_reporter_and_writes_no_record(string script)
    {
        using PowerShell shell = Hosted.Create();
        var (output, streams, _) = Hosted.Run(shell, script);
        Assert.Equal([false], output);
        Assert.Empty(streams.Progress);
    }

    [Fact]
    public void The_ProgressAction_parameter_wins_over_the_preference()
    {
        using PowerShell shell = Hosted.Create();
        var (output, _, _) = Hosted.Run(shell, "$ProgressPreference = 'SilentlyContinue'; Invoke-StreamProbe Enabled -ProgressAction Continue");
        Assert.Equal([true], output);
    }

    [Fact]
    public void Items_are_children_of_one_activity_and_everything_is_completed_once()
    {
        using PowerShell shell = Hosted.Create();
        var (_, streams, _) = Hosted.Run(shell, "Invoke-StreamProbe Items");

        List<ProgressRecord> records = [.. streams.Progress];
        int parent = records[0].ActivityId;
        Assert.Equal(-1, records[0].ParentActivityId);
        Assert.Equal("Probing", records[0].Activity);
        Assert.All(records.Where(r => r.ActivityId != parent), r => Assert.Equal(parent, r.ParentActivityId));
        List<ProgressRecord> completed = Completed(streams);
        Assert.Equal(4, completed.Count);
        Assert.Equal(4, completed.Select(r => r.ActivityId).Distinct().Count());
        Assert.Equal(parent, completed[^1].ActivityId);
        Assert.Equal("all items done", completed[^1].StatusDescription);
        Assert.All(completed.Take(3), r => Assert.Equal(100, r.PercentComplete));
    }

    [Fact]
    public void One_activity_spans_every_pipeline_input_and_is_completed_at_the_end()
    {
        using PowerShell shell = Hosted.Create();
        var (output, streams, _) = Hosted.Run(shell, "1..4 | Invoke-StreamProbe PerCall");

        Assert.Equal([1, 2, 3, 4], output);
        Assert.Single(streams.Progress.Select(r => r.ActivityId).Distinct());
        ProgressRecord completed = Assert.Single(Completed(streams));
        Assert.Equal("item 4", completed.StatusDescription);
        Assert.Same(completed, streams.Progress[^1]);
    }

    [Fact]
    public void A_failing_call_still_completes_its_activity_and_children()
    {
        using PowerShell shell = Hosted.Create();
        // A terminating error of a cmdlet ends its statement; the script records it and goes on.
        var (output, streams, _) = Hosted.Run(shell, "Invoke-StreamProbe Throw; 'next statement'");

        Assert.Equal(["next statement"], output);
        ErrorRecord error = Assert.Single(streams.Error);
        Assert.Equal("ProbeNotFound,ContentPS.Tests.Hosting.InvokeStreamProbeCommand", error.FullyQualifiedErrorId);
        List<ProgressRecord> completed = Completed(streams);
        Assert.Equal(2, completed.Count);
        Assert.Equal(-1, completed[^1].ParentActivityId);
    }

    [Fact]
    public void Stop_cancels_a_blocked_step_promptly_and_completes_its_progress()
    {
        StreamProbe.Reset();
        using PowerShell shell = Hosted.Create();
        shell.AddScript("Invoke-StreamProbe Block");
        IAsyncResult invocation = shell.BeginInvoke();
        Assert.True(StreamProbe.Started.Wait(TimeSpan.FromSeconds(30)), "the probe never started");

        // Generous bound (the requirement is well under a second): a stop that is ignored never returns.
        IAsyncResult stop = shell.BeginStop(null, null);
        Assert.True(stop.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "Stop did not return: StopProcessing must cancel the engine task");
        shell.EndStop(stop);

        Assert.Throws<PipelineStoppedException>(() => shell.EndInvoke(invocation));
        Assert.True(StreamProbe.Canceled);
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.Empty(shell.Streams.Error);
        Assert.True(2 == Completed(shell.Streams).Count,
            $"{Completed(shell.Streams).Count} Completed of {shell.Streams.Progress.Count} records: " +
            string.Join(" | ", shell.Streams.Progress.Select(r => $"{r.ActivityId}/{r.ParentActivityId} {r.RecordType} {r.StatusDescription}")));
    }

    [Fact]
    public void Verbose_and_debug_follow_the_common_parameters()
    {
        using PowerShell shell = Hosted.Create();
        var (output, streams, _) = Hosted.Run(shell, "Invoke-StreamProbe Log -Verbose -Debug -WarningAction SilentlyContinue");

        Assert.Equal([true, true], output);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"GET /v2/ #{i}").Order(), streams.Verbose.Select(r => r.Message).Order());
        Assert.Equal(["took 3 ms"], streams.Debug.Select(r => r.Message));
    }

    [Fact]
    public void Verbose_and_debug_follow_the_preference_variables()
    {
        using PowerShell shell = Hosted.Create();
        var (output, streams, _) = Hosted.Run(shell,
            "$VerbosePreference = 'Continue'; $DebugPreference = 'SilentlyContinue'; Invoke-StreamProbe Log -WarningAction SilentlyContinue");

        Assert.Equal([true, false], output);
        Assert.Equal(8, streams.Verbose.Count);
        Assert.Empty(streams.Debug);
    }

    [Fact]
    public void Verbose_false_wins_over_the_preference_and_nothing_is_written()
    {
        using PowerShell shell = Hosted.Create();
        var (output, streams, _) = Hosted.Run(shell,
            "$VerbosePreference = 'Continue'; Invoke-StreamProbe Log -Verbose:$false -WarningAction SilentlyContinue");

        Assert.Equal([false, false], output);
        Assert.Empty(streams.Verbose);
        Assert.Empty(streams.Debug);
    }

    [Fact]
    public void Engine_warnings_are_written_once_per_text()
    {
        using PowerShell shell = Hosted.Create();
        var (_, streams, _) = Hosted.Run(shell, "Invoke-StreamProbe Log");

        Assert.Equal(["registry says: deprecated", "registry says: slow down"], streams.Warning.Select(r => r.Message));
    }

    [Fact]
    public void Each_call_deduplicates_on_its_own()
    {
        using PowerShell shell = Hosted.Create();
        var (_, streams, _) = Hosted.Run(shell,
            "Invoke-StreamProbe Log; Invoke-StreamProbe Log");

        Assert.Equal(4, streams.Warning.Count);
    }
}

[CollectionDefinition(nameof(StreamProbe), DisableParallelization = true)]
public sealed class StreamProbeCollection;
