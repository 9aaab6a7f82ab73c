using System.Text;
using System.Text.Json;

namespace ContentPS.TestFixtures;

/// <summary>
/// The proxy's own API under <c>/_fault/</c>, for tests in another process (Pester):
/// <c>POST /_fault/rules</c> (a rule or an array; answers <c>{"ids":[…]}</c>),
/// <c>GET /_fault/rules</c> (<c>[{id, hits, rule}]</c>), <c>DELETE /_fault/rules</c>,
/// <c>GET /_fault/requests</c> (the log), <c>DELETE /_fault/requests</c>.
/// These requests are neither logged nor subject to rules.
/// </summary>
internal static class FaultControlEndpoint
{
    public const string Prefix = "/_fault/";

    public static bool Handles(RequestHead head) => head.Target.StartsWith(Prefix, StringComparison.Ordinal);

    public static async Task<ConnectionOutcome> AnswerAsync(FaultProxy proxy, RequestHead head, RequestBodyStream? body, ResponseWriter writer,
        CancellationToken cancellationToken)
    {
        string path = head.Target.Split('?')[0];
        string text = body is null ? string.Empty : await ReadTextAsync(body, cancellationToken).ConfigureAwait(false);
        var (status, json) = (head.Method.ToUpperInvariant(), path) switch
        {
            ("POST", "/_fault/rules") => AddRules(proxy, text),
            ("GET", "/_fault/rules") => (200, Serialize(proxy.Rules.Snapshot().Select(r => new { id = r.Id, hits = r.Hits, rule = r.Rule }))),
            ("DELETE", "/_fault/rules") => Done(proxy.ClearRules),
            ("GET", "/_fault/requests") => (200, Serialize(proxy.Requests)),
            ("DELETE", "/_fault/requests") => Done(proxy.ClearRequests),
            (_, "/_fault/rules" or "/_fault/requests") => (405, Error($"{head.Method} is not supported on {path}.")),
            _ => (404, Error($"No control endpoint {path}; use /_fault/rules or /_fault/requests.")),
        };
        await writer.WriteCompleteAsync(status, [new("Content-Type", "application/json")], Encoding.UTF8.GetBytes(json),
            headOnly: false, close: false, cancellationToken).ConfigureAwait(false);
        return ConnectionOutcome.KeepOpen;
    }

    private static (int, string) AddRules(FaultProxy proxy, string text)
    {
        IReadOnlyList<FaultRule> rules;
        try
        {
            rules = FaultJson.ParseRules(text);
            foreach (var rule in rules) rule.Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return (400, Error(e.Message));
        }

        return (200, Serialize(new { ids = rules.Select(proxy.AddRule).ToList() }));
    }

    private static (int, string) Done(Action action)
    {
        action();
        return (200, "{}");
    }

    private static string Error(string message) => Serialize(new { error = message });

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, FaultJson.Options);

    private static async Task<string> ReadTextAsync(RequestBodyStream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }
}
