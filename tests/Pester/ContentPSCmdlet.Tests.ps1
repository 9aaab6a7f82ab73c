#Requires -Version 7.4
# The async cmdlet base, through a probe cmdlet compiled here against the built module: engine work
# runs on the thread pool, its Write*/ShouldProcess calls reach the pipeline thread, stopping cancels
# the token, and exceptions from the task become ErrorRecords through the factory.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    if (-not ('ContentPSTests.InvokeAsyncProbeCommand' -as [type])) {
        # ContentPS is compiled against PowerShellStandard (System.Management.Automation 3.0): warnings CS1701/CS1702 say it unifies with the running 7.x.
        Add-Type -IgnoreWarnings -ReferencedAssemblies ([ContentPS.ContentPSCmdlet].Assembly.Location), ([ContentPS.ErrorClass].Assembly.Location), ([psobject].Assembly.Location), 'System.Linq', 'System.Threading' -WarningAction SilentlyContinue -TypeDefinition @'
using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ContentPS;
using ContentPS.Engine.Errdefs;

namespace ContentPSTests
{
    public static class Probe
    {
        public static readonly ManualResetEventSlim Started = new ManualResetEventSlim();
        public static volatile bool Canceled;

        public static void Reset()
        {
            Started.Reset();
            Canceled = false;
        }
    }

    [Cmdlet("Invoke", "AsyncProbe", SupportsShouldProcess = true)]
    public sealed class InvokeAsyncProbeCommand : ContentPSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public string Mode { get; set; }

        [Parameter]
        public int Count { get; set; } = 3;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            await Task.Yield();
            switch (Mode)
            {
                case "Threads":
                    WriteObject(Environment.CurrentManagedThreadId);
                    WriteVerbose("verbose from the engine");
                    WriteWarning("warning from the engine");
                    WriteDebug("debug from the engine");
                    WriteInformation("information from the engine", new[] { "probe" });
                    WriteProgress(new ProgressRecord(1, "probe", "working"));
                    break;
                case "Many":
                    await Task.WhenAll(Enumerable.Range(0, Count).Select(i => Task.Run(() => WriteObject(i))));
                    break;
                case "Endless":
                    try
                    {
                        for (int i = 0; ; i++)
                        {
                            WriteObject(i);
                            await Task.Delay(1, cancellationToken);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        Probe.Canceled = true;
                        throw;
                    }
                case "Block":
                    Probe.Started.Set();
                    try
                    {
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        Probe.Canceled = true;
                        throw;
                    }
                    break;
                case "ShouldProcess":
                    WriteObject(ShouldProcess("the-target", "probe"));
                    WriteObject(ShouldProcess("probing the-target", "Probe the-target?", "Probe"));
                    break;
                case "Throw":
                    throw new NotFoundException("nothing there", "ProbeNotFound") { Target = "the-target" };
                case "ThrowSystem":
                    throw new System.IO.FileNotFoundException("no such file");
                case "ItemErrors":
                    foreach (string item in new[] { "a", "b", "c" })
                    {
                        if (item == "b")
                        {
                            WriteError(new NotFoundException("no " + item, "ProbeItemMissing"), item);
                        }
                        else
                        {
                            WriteObject(item);
                        }
                    }
                    break;
                case "Terminate":
                    ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("stop here"), "ProbeTerminated", ErrorCategory.InvalidOperation, "t"));
                    break;
            }
        }
    }
}
'@
    }
    $probeAssembly = [ContentPSTests.InvokeAsyncProbeCommand].Assembly
    Import-Module -Assembly $probeAssembly -Force
}

Describe 'ContentPSCmdlet (async base)' {
    Context 'pipeline-thread marshaling' {
        It 'runs engine work off the pipeline thread and still writes every stream' {
            $engineThread = Invoke-AsyncProbe Threads -Verbose -Debug -WarningVariable warnings -WarningAction SilentlyContinue -InformationVariable information -InformationAction SilentlyContinue 4>&1 5>&1 -ProgressAction SilentlyContinue
            $ids = @($engineThread | Where-Object { $_ -is [int] })
            $ids | Should -HaveCount 1
            $ids[0] | Should -Not -Be ([Environment]::CurrentManagedThreadId)
            ($engineThread | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -BeExactly 'verbose from the engine'
            ($engineThread | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message | Should -BeExactly 'debug from the engine'
            $warnings.Message | Should -BeExactly 'warning from the engine'
            $information.MessageData | Should -BeExactly 'information from the engine'
            $information.Tags | Should -Be @('probe')
        }

        It 'delivers objects written from many engine threads at once' {
            $result = Invoke-AsyncProbe Many -Count 500
            $result | Should -HaveCount 500
            ($result | Sort-Object -Unique) | Should -HaveCount 500
        }

        It 'asks ShouldProcess on the pipeline thread' {
            Invoke-AsyncProbe ShouldProcess -WhatIf | Should -Be @($false, $false)
            Invoke-AsyncProbe ShouldProcess -Confirm:$false | Should -Be @($true, $true)
        }
    }

    Context 'stopping' {
        It 'cancels the engine when downstream stops (Select-Object -First)' {
            [ContentPSTests.Probe]::Reset()
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $result = Invoke-AsyncProbe Endless | Select-Object -First 3
            $watch.Stop()
            $result | Should -Be @(0, 1, 2)
            [ContentPSTests.Probe]::Canceled | Should -BeTrue
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        }

        It 'cancels the token on Stop (Ctrl+C) and writes no error record' {
            [ContentPSTests.Probe]::Reset()
            $ps = [powershell]::Create()
            $stopped = $false
            try {
                # One script, as at a prompt (separate statements would each report PipelineStopped).
                $null = $ps.AddScript('param($Assembly) Import-Module -Assembly $Assembly; Invoke-AsyncProbe Block').AddArgument($probeAssembly)
                $async = $ps.BeginInvoke()
                [ContentPSTests.Probe]::Started.Wait([TimeSpan]::FromSeconds(30)) | Should -BeTrue
                # A cmdlet that ignored the stop would never end: wait a bounded time instead of hanging.
                $stop = $ps.BeginStop($null, $null)
                $stopped = $stop.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(15))
                $stopped | Should -BeTrue -Because 'StopProcessing must cancel the engine task'
                $ps.EndStop($stop)
                # As for Start-Sleep: EndInvoke reports the stop, and the error stream stays empty.
                $failure = $null
                try { $null = $ps.EndInvoke($async) } catch { $failure = $_.Exception.GetBaseException() }
                $failure | Should -BeOfType ([System.Management.Automation.PipelineStoppedException])
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                [ContentPSTests.Probe]::Canceled | Should -BeTrue
                $ps.Streams.Error | Should -HaveCount 0
            }
            finally {
                # Disposing a pipeline that would not stop blocks forever; leak it and let the test fail.
                if ($stopped) { $ps.Dispose() }
            }
        }
    }

    Context 'errors from the async path' {
        It 'turns a classified exception into a terminating record' {
            $caught = $null
            try { Invoke-AsyncProbe Throw } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeExactly 'ProbeNotFound,ContentPSTests.InvokeAsyncProbeCommand'
            $caught.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $caught.CategoryInfo.Reason | Should -BeExactly 'NotFoundException'
            $caught.TargetObject | Should -BeExactly 'the-target'
            $caught.Exception.Message | Should -BeExactly 'nothing there'
            [ContentPS.Errdefs]::Resolve($caught) | Should -Be 'NotFound'
        }

        It 'classifies a system exception, keeping its message' {
            $caught = $null
            try { Invoke-AsyncProbe ThrowSystem } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeExactly 'NotFound,ContentPSTests.InvokeAsyncProbeCommand'
            $caught.CategoryInfo.Reason | Should -BeExactly 'NotFoundException'
            $caught.Exception.Message | Should -BeExactly 'no such file'
            $caught.Exception.InnerException | Should -BeOfType ([System.IO.FileNotFoundException])
        }

        It 'writes per-item errors and goes on' {
            $output = Invoke-AsyncProbe ItemErrors -ErrorAction SilentlyContinue -ErrorVariable failures
            $output | Should -Be @('a', 'c')
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeExactly 'ProbeItemMissing,ContentPSTests.InvokeAsyncProbeCommand'
            $failures[0].TargetObject | Should -BeExactly 'b'
            $failures[0].CategoryInfo.Reason | Should -BeExactly 'NotFoundException'
        }

        It 'carries ThrowTerminatingError from an engine thread to the pipeline thread' {
            { Invoke-AsyncProbe Terminate } | Should -Throw -ErrorId 'ProbeTerminated,ContentPSTests.InvokeAsyncProbeCommand'
        }
    }
}
