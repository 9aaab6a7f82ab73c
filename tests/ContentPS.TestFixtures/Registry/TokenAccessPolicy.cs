namespace ContentPS.TestFixtures;

/// <summary>
/// What the fixture token server grants: the user gets every action asked on every repository;
/// anonymous clients get <c>pull</c> on repositories under <c>public/</c> and nothing else.
/// Repositories under <c>forbidden/</c> make the token endpoint answer 403 and those under
/// <c>unavailable/</c> make it answer 503, so clients can be tested against both.
/// </summary>
internal static class TokenAccessPolicy
{
    public const string PublicPrefix = "public/";
    public const string ForbiddenPrefix = "forbidden/";
    public const string UnavailablePrefix = "unavailable/";

    private static readonly string[] UserActions = ["pull", "push", "delete", "*"];

    /// <summary>One granted resource of a token's <c>access</c> claim.</summary>
    public sealed record Grant(string Type, string Name, IReadOnlyList<string> Actions);

    /// <summary>The status to answer instead of a token, or null to issue one.</summary>
    public static int? RefusalFor(IEnumerable<Scope> scopes)
    {
        var names = scopes.Where(s => s.Type == "repository").Select(s => s.Name).ToList();
        if (names.Any(n => n.StartsWith(ForbiddenPrefix, StringComparison.Ordinal))) return 403;
        if (names.Any(n => n.StartsWith(UnavailablePrefix, StringComparison.Ordinal))) return 503;
        return null;
    }

    public static IReadOnlyList<Grant> Grants(IEnumerable<Scope> scopes, string? user)
    {
        var grants = new List<Grant>();
        foreach (var scope in scopes)
        {
            var actions = scope.Actions.Where(a => Allowed(scope, a, user)).Distinct(StringComparer.Ordinal).ToList();
            if (actions.Count > 0)
            {
                grants.Add(new Grant(scope.Type, scope.Name, actions));
            }
        }

        return grants;
    }

    private static bool Allowed(Scope scope, string action, string? user) =>
        user is not null
            ? UserActions.Contains(action, StringComparer.Ordinal)
            : scope.Type == "repository" && action == "pull" && scope.Name.StartsWith(PublicPrefix, StringComparison.Ordinal);

    /// <summary>A parsed <c>type:name:actions</c> scope (the name may hold colons, e.g. a registry port).</summary>
    public sealed record Scope(string Type, string Name, IReadOnlyList<string> Actions)
    {
        public static Scope? Parse(string text)
        {
            int first = text.IndexOf(':');
            int last = text.LastIndexOf(':');
            if (first <= 0 || last == first)
            {
                return null;
            }

            return new Scope(text[..first], text[(first + 1)..last], text[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries));
        }
    }
}
