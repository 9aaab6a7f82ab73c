namespace ContentPS.TestFixtures.Cli;

/// <summary>
/// mirror --upstream URL [--username U --password P]: starts a docker-registry pull-through cache of
/// the upstream registry, prints one JSON line (as registry does, plus upstream) and runs until stdin
/// closes or SIGTERM/SIGINT arrives.
/// </summary>
internal static class MirrorCommand
{
    public static Task<int> RunAsync(CliArguments arguments)
    {
        var upstreamText = arguments.Required("upstream");
        if (!Uri.TryCreate(upstreamText, UriKind.Absolute, out var upstream) || (upstream.Scheme != Uri.UriSchemeHttp && upstream.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"--upstream must be an http or https URL, not '{upstreamText}'.");
        }

        var username = arguments.Optional("username");
        var password = arguments.Optional("password");
        if ((username is null) != (password is null))
        {
            throw new CliUsageException("Give both --username and --password, or neither.");
        }

        return RegistryCommand.ServeAsync(token => RegistryFixture.StartMirrorAsync(upstream, username, password, token));
    }
}
