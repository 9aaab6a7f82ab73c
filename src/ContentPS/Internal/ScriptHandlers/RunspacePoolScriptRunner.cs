using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ContentPS.Internal.ScriptHandlers;

/// <summary>
/// Runs script handlers in the runspaces of a pool of at most <c>throttleLimit</c>, as <c>ForEach-Object -Parallel</c>
/// does: each run parses the handler's text (its <c>$using:</c> values rewritten to variables, see
/// <see cref="UsingValues"/>) in a runspace with ContentPS imported, sets the variables in a scope of its own, and
/// gives it the descriptor as <c>$_</c> and <c>$args[0]</c>. Output objects are live (same process), so
/// <c>[ContentPS.Handler]::Skip</c> and descriptors come back as themselves. What the script writes to the error,
/// warning, verbose and information streams is handed to <see cref="ScriptStreams"/> to be written by the cmdlet.
/// Disposing closes every runspace of the pool.
/// </summary>
internal sealed class RunspacePoolScriptRunner : IScriptRunner, IDisposable
{
    // The wrapper's own names start with __ContentPS so that a handler's variables cannot clash with them.
    private const string Wrapper = """
        param($__ContentPSHandlerText, $__ContentPSDescriptor, $__ContentPSUsing)
        foreach ($__ContentPSName in $__ContentPSUsing.Keys) {
            Set-Variable -Name $__ContentPSName -Value $__ContentPSUsing[$__ContentPSName]
        }
        $__ContentPSHandler = [scriptblock]::Create($__ContentPSHandlerText)
        $__ContentPSDescriptor | ForEach-Object -Process { & $__ContentPSHandler $__ContentPSDescriptor }
        """;

    private readonly RunspacePool _pool;
    private readonly ScriptStreams _streams;

    /// <param name="throttleLimit">The most runspaces (and so scripts running) at once.</param>
    /// <param name="modulePath">The ContentPS module to import in each runspace (its types and cmdlets); null: none.</param>
    /// <param name="streams">Where the scripts' error, warning, verbose and information records go.</param>
    public RunspacePoolScriptRunner(int throttleLimit, string? modulePath, ScriptStreams streams)
    {
        _streams = streams;
        InitialSessionState state = InitialSessionState.CreateDefault2();
        if (modulePath is not null)
        {
            state.ImportPSModule([modulePath]);
        }

        _pool = RunspaceFactory.CreateRunspacePool(state);
        _pool.SetMaxRunspaces(throttleLimit);
        _pool.ThreadOptions = PSThreadOptions.UseNewThread;
        _pool.Open();
    }

    public async Task<ScriptRun> RunAsync(PreparedScript script, object descriptor, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using PowerShell shell = PowerShell.Create();
        shell.RunspacePool = _pool;
        shell.AddScript(Wrapper, useLocalScope: true)
            .AddArgument(script.Using.Text)
            .AddArgument(descriptor)
            .AddArgument(script.Using.Values.ToDictionary(value => value.Key, value => value.Value, StringComparer.OrdinalIgnoreCase));
        Collection<PSObject> output;
        using (cancellationToken.Register(() => shell.BeginStop(null, null)))
        {
            try
            {
                output = [.. await Task.Factory.FromAsync(shell.BeginInvoke(), shell.EndInvoke).ConfigureAwait(false)];
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception failure)
            {
                Forward(shell);
                return ScriptRun.Failed(failure);
            }
        }

        Forward(shell);
        return new ScriptRun(output, null);
    }

    public void Dispose() => _pool.Dispose();

    private void Forward(PowerShell shell)
    {
        PSDataStreams streams = shell.Streams;
        foreach (WarningRecord warning in streams.Warning)
        {
            _streams.Warning(warning.Message);
        }

        foreach (VerboseRecord verbose in streams.Verbose)
        {
            _streams.Verbose(verbose.Message);
        }

        foreach (InformationRecord information in streams.Information)
        {
            _streams.Information(information);
        }

        foreach (ErrorRecord error in streams.Error)
        {
            _streams.Error(error);
        }
    }
}

/// <summary>Where what a script handler in a runspace writes besides its output goes (the cmdlet's queued Write* methods).</summary>
internal sealed record ScriptStreams(Action<ErrorRecord> Error, Action<string> Warning, Action<string> Verbose, Action<InformationRecord> Information);
