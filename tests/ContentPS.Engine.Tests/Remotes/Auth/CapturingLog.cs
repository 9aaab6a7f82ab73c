using System.Collections.Concurrent;
using ContentPS.Engine.Diagnostics;

namespace ContentPS.Engine.Tests.Remotes.Auth;

/// <summary>An <see cref="IEngineLog"/> with every stream on that keeps every line, for asserting what a run wrote.</summary>
internal sealed class CapturingLog : IEngineLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public bool IsVerboseEnabled => true;

    public bool IsDebugEnabled => true;

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string Text => string.Join(Environment.NewLine, _lines);

    public void Verbose(string message) => _lines.Enqueue("VERBOSE: " + message);

    public void Debug(string message) => _lines.Enqueue("DEBUG: " + message);

    public void Warning(string message) => _lines.Enqueue("WARNING: " + message);
}
