namespace ContentPS.TestFixtures.Cli;

/// <summary>--go-file PATH: wait until PATH exists, so that several child processes start their work together.</summary>
internal static class StartSignal
{
    public static async Task WaitAsync(CliArguments arguments)
    {
        if (arguments.Optional("go-file") is not { } path) return;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(path))
        {
            if (DateTime.UtcNow > deadline) throw new FixtureException($"{path} did not appear within 60 s.");
            await Task.Delay(5).ConfigureAwait(false);
        }
    }
}
