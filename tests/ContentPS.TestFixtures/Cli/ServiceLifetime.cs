using System.Runtime.InteropServices;

namespace ContentPS.TestFixtures.Cli;

/// <summary>The life of a long-running CLI command (registry, mirror, fault-proxy): start, announce, run until told to stop.</summary>
internal static class ServiceLifetime
{
    /// <summary>
    /// Starts a service with <paramref name="start"/>, lets <paramref name="announce"/> print its JSON line,
    /// and keeps it running until stdin closes or SIGTERM/SIGINT arrives; then disposes it (which stops it).
    /// </summary>
    public static async Task<int> ServeAsync<TService>(Func<CancellationToken, Task<TService>> start, Action<TService> announce)
        where TService : IAsyncDisposable
    {
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        await using var service = await start(stop.Token).ConfigureAwait(false);
        announce(service);

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
