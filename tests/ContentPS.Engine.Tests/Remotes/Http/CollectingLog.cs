using System.Collections.Concurrent;
using ContentPS.Engine.Diagnostics;

namespace ContentPS.Engine.Tests.Remotes.Http;

/// <summary>An <see cref="IEngineLog"/> that keeps every verbose, debug and warning line, with both streams on.</summary>
internal sealed class CollectingLog : IEngineLog
{
    private readonly ConcurrentQueue<string> _verbose = new();
    private readonly ConcurrentQueue<string> _debug = new();
    private readonly ConcurrentQueue<string> _warnings = new();

    public bool IsVerboseEnabled => true;

    public bool IsDebugEnabled => true;

    public IReadOnlyList<string> VerboseLines => _verbose.ToArray();

    public IReadOnlyList<string> DebugLines => _debug.ToArray();

    public IReadOnlyList<string> Warnings => _warnings.ToArray();

    public IEnumerable<string> All => VerboseLines.Concat(DebugLines).Concat(Warnings);

    public void Verbose(string message) => _verbose.Enqueue(message);

    public void Debug(string message) => _debug.Enqueue(message);

    public void Warning(string message) => _warnings.Enqueue(message);
}
