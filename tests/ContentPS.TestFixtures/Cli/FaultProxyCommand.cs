using System.Net;

namespace ContentPS.TestFixtures.Cli;

/// <summary>
/// fault-proxy --upstream URL [--rules FILE] [--address IP]: starts a <see cref="FaultProxy"/>,
/// prints one JSON line {host, baseUri, pid} and runs until stdin closes or SIGTERM/SIGINT.
/// Rules are added from FILE (a rule or an array, camelCase JSON) and later through /_fault/rules.
/// </summary>
internal static class FaultProxyCommand
{
    public static async Task<int> RunAsync(CliArguments arguments)
    {
        var upstreamText = arguments.Required("upstream");
        if (!Uri.TryCreate(upstreamText, UriKind.Absolute, out var upstream) || upstream.Scheme != Uri.UriSchemeHttp)
        {
            throw new CliUsageException($"--upstream must be an absolute http:// URL, not '{upstreamText}'.");
        }

        IPAddress? address = null;
        if (arguments.Optional("address") is { } addressText && !IPAddress.TryParse(addressText, out address))
        {
            throw new CliUsageException($"--address must be an IP address, not '{addressText}'.");
        }

        IReadOnlyList<FaultRule> rules = [];
        if (arguments.Optional("rules") is { } rulesFile)
        {
            try
            {
                rules = FaultJson.ParseRules(await File.ReadAllTextAsync(rulesFile).ConfigureAwait(false));
                foreach (var rule in rules) rule.Validate();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or ArgumentException)
            {
                throw new CliUsageException($"--rules {rulesFile}: {e.Message}");
            }
        }

        return await ServiceLifetime.ServeAsync(async _ =>
        {
            var proxy = await FaultProxy.StartAsync(upstream, address).ConfigureAwait(false);
            foreach (var rule in rules) proxy.AddRule(rule);
            return proxy;
        }, proxy => CliJson.WriteLine(new { host = proxy.Host, baseUri = proxy.BaseUri.ToString(), pid = Environment.ProcessId })).ConfigureAwait(false);
    }
}
