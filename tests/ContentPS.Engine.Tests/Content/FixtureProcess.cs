using System.Diagnostics;

namespace ContentPS.Engine.Tests.Content;

/// <summary>Runs the ContentPS.TestFixtures CLI (copied beside the tests) as a child process.</summary>
internal static class FixtureProcess
{
    public static Process Start(params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ContentPS.TestFixtures.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the fixtures CLI");
    }

    /// <summary>Waits for the child and fails the test with its standard error when it did not exit 0.</summary>
    public static async Task WaitSuccessAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fixture process {process.Id} did not finish within {timeout}");
        }
        Assert.True(process.ExitCode == 0, $"fixture process exited {process.ExitCode}: {await stderr}{await stdout}");
    }
}
