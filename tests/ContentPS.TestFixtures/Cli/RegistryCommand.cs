using System.Runtime.InteropServices;

namespace ContentPS.TestFixtures.Cli;

/// <summary>
/// registry [--flavor plain|htpasswd]: starts a registry, prints one JSON line, and keeps it running
/// until stdin closes or SIGTERM/SIGINT arrives; then stops it and deletes its files.
/// </summary>
internal static class RegistryCommand
{
    public static async Task<int> RunAsync(CliArguments arguments)
    {
        var flavorText = arguments.Optional("flavor") ?? "plain";
        if (!Enum.TryParse<RegistryFlavor>(flavorText, ignoreCase: true, out var flavor) || !Enum.IsDefined(flavor))
        {
            throw new CliUsageException($"Unknown --flavor '{flavorText}'. Use plain or htpasswd.");
        }

        return await ServeAsync(token => RegistryFixture.StartAsync(flavor, token)).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a registry with <paramref name="start"/>, prints its JSON line and keeps it running until
    /// stdin closes or SIGTERM/SIGINT arrives; then stops it and deletes its files.
    /// </summary>
    public static async Task<int> ServeAsync(Func<CancellationToken, Task<RegistryFixture>> start)
    {
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        await using var registry = await start(stop.Token).ConfigureAwait(false);
        CliJson.WriteLine(new
        {
            host = registry.Host,
            baseUri = registry.BaseUri.ToString(),
            username = registry.Username,
            password = registry.Password,
            root = registry.RootDirectory,
            pid = registry.ProcessId,
            flavor = registry.Flavor.ToString(),
            upstream = registry.UpstreamUri?.ToString(),
        }, includeNulls: true);

        var stdinClosed = Task.Run(async () =>
        {
            var buffer = new char[256];
            while (await Console.In.ReadAsync(buffer, stop.Token).ConfigureAwait(false) > 0)
            {
            }
        });
        try
        {
            await Task.WhenAny(stdinClosed, Task.Delay(Timeout.Infinite, stop.Token)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
