using System.Collections.ObjectModel;
using System.Management.Automation;

namespace ContentPS.Internal.ScriptHandlers;

/// <summary>Runs a script handler for one descriptor: sequentially in the caller's runspace, or in a runspace of a pool.</summary>
internal interface IScriptRunner
{
    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="descriptor"/> as <c>$_</c> and <c>$args[0]</c>. What the
    /// script threw is returned as <see cref="ScriptRun.Failure"/>, not thrown; cancellation stops the script and throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<ScriptRun> RunAsync(PreparedScript script, object descriptor, CancellationToken cancellationToken);
}

/// <summary>A script handler ready to run: the scriptblock, and its <c>$using:</c> rewrite (the text a runspace parses).</summary>
internal sealed record PreparedScript(ScriptStep Step, UsingValues Using);

/// <summary>What one run of a script handler gave: its output, or what it threw.</summary>
internal sealed record ScriptRun(Collection<PSObject> Output, Exception? Failure)
{
    public static ScriptRun Failed(Exception failure) => new([], failure);
}
