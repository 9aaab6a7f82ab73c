using System.Collections.ObjectModel;
using System.Management.Automation;

namespace ContentPS.Internal.ScriptHandlers;

/// <summary>
/// Runs script handlers in the caller's runspace, on the pipeline thread (<paramref name="onPipelineThread"/> marshals
/// there and waits), one at a time: the scriptblock keeps its scope, module and file positions, and what it writes to
/// other streams (Write-Error, Write-Warning, Write-Host) goes where the caller's would.
/// </summary>
internal sealed class SequentialScriptRunner(Func<Func<ScriptRun>, ScriptRun> onPipelineThread) : IScriptRunner
{
    public Task<ScriptRun> RunAsync(PreparedScript script, object descriptor, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(onPipelineThread(() => Run(script, descriptor)));
    }

    private static ScriptRun Run(PreparedScript script, object descriptor)
    {
        var variables = new List<PSVariable> { new("_", descriptor) };
        variables.AddRange(script.Using.Values.Select(value => new PSVariable(value.Key, value.Value)));
        // Without $using: the caller's own scriptblock runs, bound to its session state; with, its rewrite (made on this thread).
        ScriptBlock block = script.Using.IsEmpty ? script.Step.Script : ScriptBlock.Create(script.Using.Text);
        try
        {
            Collection<PSObject> output = block.InvokeWithContext(null, variables, descriptor);
            return new ScriptRun(output, null);
        }
        catch (Exception failure) when (failure is not PipelineStoppedException)
        {
            return ScriptRun.Failed(failure);
        }
    }
}
