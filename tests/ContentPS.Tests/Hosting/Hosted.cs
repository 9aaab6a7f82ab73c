using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ContentPS.Tests.Hosting;

/// <summary>A PowerShell with the probe cmdlets, as a user's session would run them.</summary>
internal static class Hosted
{
    public static PowerShell Create()
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Invoke-StreamProbe", typeof(InvokeStreamProbeCommand), null));
        return PowerShell.Create(state);
    }

    /// <summary>Runs <paramref name="script"/>, failing the test on a terminating error unless <paramref name="allowFailure"/>.</summary>
    public static (List<object?> Output, PSDataStreams Streams, Exception? Failure) Run(PowerShell shell, string script, bool allowFailure = false)
    {
        shell.AddScript(script);
        Exception? failure = null;
        var output = new List<object?>();
        try
        {
            output.AddRange(shell.Invoke().Select(o => o?.BaseObject));
        }
        catch (RuntimeException exception) when (allowFailure)
        {
            failure = exception;
        }

        return (output, shell.Streams, failure);
    }
}
