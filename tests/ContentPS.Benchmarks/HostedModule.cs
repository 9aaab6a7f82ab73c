using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ContentPS.Benchmarks;

/// <summary>
/// A PowerShell runspace hosted in this process (Microsoft.PowerShell.SDK) that has imported the built
/// module (<c>ContentPS.psd1</c> beside <c>module/</c>): "module already imported", as a user's session
/// is after <c>Import-Module ContentPS</c>. Commands run on its pipeline like typed ones, progress included
/// (collected, as a host without a UI does).
/// </summary>
internal sealed class HostedModule : IDisposable
{
    private readonly Runspace _runspace;

    private HostedModule(Runspace runspace, string manifest)
    {
        _runspace = runspace;
        Manifest = manifest;
    }

    public string Manifest { get; }

    /// <summary>The ContentPS.Engine the module runs on (to check it is the one this benchmark also calls).</summary>
    public string EngineLocation { get; private set; } = "";

    public static HostedModule Open(string manifest)
    {
        var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        var hosted = new HostedModule(runspace, manifest);
        try
        {
            hosted.Invoke(shell => shell.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop"));
            hosted.EngineLocation = hosted.Invoke(shell => shell.AddScript(
                "[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'ContentPS.Engine' } | ForEach-Object Location"))
                .Select(o => o.ToString()).FirstOrDefault() ?? "";
            return hosted;
        }
        catch
        {
            hosted.Dispose();
            throw;
        }
    }

    /// <summary>Whether the imported module has <paramref name="command"/>.</summary>
    public bool Has(string command) =>
        Invoke(shell => shell.AddCommand("Get-Command").AddParameter("Name", command).AddParameter("Module", "ContentPS")
            .AddParameter("ErrorAction", "SilentlyContinue")).Count > 0;

    /// <summary>Runs the commands <paramref name="build"/> adds; any error record fails the call with its text.</summary>
    public Collection<PSObject> Invoke(Func<PowerShell, PowerShell> build)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        var output = build(shell).Invoke();
        if (shell.Streams.Error.Count > 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(" | ", shell.Commands.Commands.Select(c => c.CommandText))}: {string.Join("; ", shell.Streams.Error.Select(e => e.ToString()))}");
        }

        return output;
    }

    public void Dispose() => _runspace.Dispose();
}
