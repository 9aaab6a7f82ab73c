namespace ContentPS.TestFixtures.Cli;

/// <summary>
/// registry [--flavor plain|htpasswd|token]: starts a registry, prints one JSON line, and keeps it running
/// until stdin closes or SIGTERM/SIGINT arrives; then stops it and deletes its files.
/// </summary>
internal static class RegistryCommand
{
    public static async Task<int> RunAsync(CliArguments arguments)
    {
        var flavorText = arguments.Optional("flavor") ?? "plain";
        if (!Enum.TryParse<RegistryFlavor>(flavorText, ignoreCase: true, out var flavor) || !Enum.IsDefined(flavor))
        {
            throw new CliUsageException($"Unknown --flavor '{flavorText}'. Use plain, htpasswd or token.");
        }

        return await ServeAsync(token => RegistryFixture.StartAsync(flavor, token)).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a registry with <paramref name="start"/>, prints its JSON line and keeps it running until
    /// stdin closes or SIGTERM/SIGINT arrives; then stops it and deletes its files.
    /// </summary>
    public static Task<int> ServeAsync(Func<CancellationToken, Task<RegistryFixture>> start) =>
        ServiceLifetime.ServeAsync(start, registry =>
        {
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
                tokenRealm = registry.TokenRealm?.ToString(),
                tokenService = registry.TokenServer is null ? null : TokenServer.ServiceName,
                tokenIssuer = registry.TokenServer is null ? null : TokenServer.IssuerName,
            }, includeNulls: true);
        });
}
