using ContentPS.Engine.Diagnostics;

namespace ContentPS.Internal;

/// <summary>
/// The cmdlet side of <see cref="IEngineLog"/>: verbose, debug and warning messages from engine
/// threads go to the cmdlet's (queued) WriteVerbose/WriteDebug/WriteWarning. Whether verbose and
/// debug are shown is decided once, on the pipeline thread, when the call begins, so a disabled
/// stream costs a field read. A warning text is written once per call however often it is raised
/// (a registry repeats its <c>Warning</c> header on every response).
/// </summary>
internal sealed class CmdletEngineLog : IEngineLog
{
    private readonly Action<string> _writeVerbose;
    private readonly Action<string> _writeDebug;
    private readonly Action<string> _writeWarning;
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    public CmdletEngineLog(bool verboseEnabled, bool debugEnabled,
        Action<string> writeVerbose, Action<string> writeDebug, Action<string> writeWarning)
    {
        IsVerboseEnabled = verboseEnabled;
        IsDebugEnabled = debugEnabled;
        _writeVerbose = writeVerbose;
        _writeDebug = writeDebug;
        _writeWarning = writeWarning;
    }

    public bool IsVerboseEnabled { get; }

    public bool IsDebugEnabled { get; }

    public void Verbose(string message)
    {
        if (IsVerboseEnabled && !string.IsNullOrEmpty(message))
        {
            _writeVerbose(message);
        }
    }

    public void Debug(string message)
    {
        if (IsDebugEnabled && !string.IsNullOrEmpty(message))
        {
            _writeDebug(message);
        }
    }

    public void Warning(string message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return;
        }

        lock (_warned)
        {
            if (!_warned.Add(message))
            {
                return;
            }
        }

        _writeWarning(message);
    }
}
