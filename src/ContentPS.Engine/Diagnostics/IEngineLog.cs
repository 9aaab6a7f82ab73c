namespace ContentPS.Engine.Diagnostics;

/// <summary>
/// Request-level messages from engine code (the registry client, transfers, the store) to
/// whoever runs it, without a PowerShell reference. The cmdlet base turns them into
/// <c>Write-Verbose</c>, <c>Write-Debug</c> and <c>Write-Warning</c>; tests may collect them.
/// </summary>
/// <remarks>
/// Implementations are called from any thread and must be thread-safe. Check
/// <see cref="IsVerboseEnabled"/> / <see cref="IsDebugEnabled"/> before building an expensive
/// message; a message written while disabled is dropped. Messages must never contain secrets
/// (tokens, passwords, <c>Authorization</c> headers, signed query strings): write requests
/// with <see cref="RequestLog.Request"/>, which removes them and gives every request the same
/// line (method, URL, status, retry decision; the time taken under <c>-Debug</c>).
/// </remarks>
public interface IEngineLog
{
    /// <summary>True when verbose messages are shown (<c>-Verbose</c>, <c>$VerbosePreference</c>).</summary>
    bool IsVerboseEnabled { get; }

    /// <summary>True when debug messages are shown (<c>-Debug</c>, <c>$DebugPreference</c>).</summary>
    bool IsDebugEnabled { get; }

    /// <summary>What the engine does, one line per request or step: method, URL, status, retry decision.</summary>
    void Verbose(string message);

    /// <summary>Details for diagnosing: timings, headers (without secrets), chosen mirrors.</summary>
    void Debug(string message);

    /// <summary>Something the user should know (a registry <c>Warning</c> header, a deprecated
    /// media type). Callers need not deduplicate: the same text is shown once per call.</summary>
    void Warning(string message);
}

/// <summary>An <see cref="IEngineLog"/> that drops everything (the default for engine code run outside a cmdlet).</summary>
public sealed class NullEngineLog : IEngineLog
{
    public static readonly NullEngineLog Instance = new();

    private NullEngineLog()
    {
    }

    public bool IsVerboseEnabled => false;

    public bool IsDebugEnabled => false;

    public void Verbose(string message)
    {
    }

    public void Debug(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
