using ContentPS.Internal;

namespace ContentPS.Tests.Progress;

public sealed class EngineLogAdapterTests
{
    private readonly List<string> _verbose = [];
    private readonly List<string> _debug = [];
    private readonly List<string> _warnings = [];

    private CmdletEngineLog Create(bool verbose, bool debug) =>
        new(verbose, debug, _verbose.Add, _debug.Add, text => { lock (_warnings) { _warnings.Add(text); } });

    [Fact]
    public void Enabled_streams_pass_messages_through()
    {
        CmdletEngineLog log = Create(verbose: true, debug: true);
        log.Verbose("GET https://registry.example/v2/ 200");
        log.Debug("GET took 12 ms");

        Assert.True(log.IsVerboseEnabled);
        Assert.True(log.IsDebugEnabled);
        Assert.Equal(["GET https://registry.example/v2/ 200"], _verbose);
        Assert.Equal(["GET took 12 ms"], _debug);
    }

    [Fact]
    public void Disabled_streams_drop_messages()
    {
        CmdletEngineLog log = Create(verbose: false, debug: false);
        log.Verbose("v");
        log.Debug("d");

        Assert.False(log.IsVerboseEnabled);
        Assert.False(log.IsDebugEnabled);
        Assert.Empty(_verbose);
        Assert.Empty(_debug);
    }

    [Fact]
    public void Warnings_are_written_once_per_distinct_text_whatever_the_preferences()
    {
        CmdletEngineLog log = Create(verbose: false, debug: false);
        Parallel.For(0, 100, i => log.Warning(i % 2 == 0 ? "299 - \"deprecated\"" : "299 - \"rate limit soon\""));
        log.Warning("");

        Assert.Equal(2, _warnings.Count);
        Assert.Equal(["299 - \"deprecated\"", "299 - \"rate limit soon\""], _warnings.Order());
    }
}
