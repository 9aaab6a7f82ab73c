namespace ContentPS.Engine.Remotes;

/// <summary>
/// The token scopes a request needs (<c>repository:library/ubuntu:pull</c>). A push needs
/// <c>pull,push</c> on the target and <c>pull</c> on a mount source; <see cref="Merge"/> combines them.
/// </summary>
public sealed class AuthScope : IEquatable<AuthScope>
{
    private readonly SortedSet<string> _scopes;

    private AuthScope(SortedSet<string> scopes) => _scopes = scopes;

    /// <summary>No scope (the <c>/v2/</c> ping).</summary>
    public static AuthScope None { get; } = new(new SortedSet<string>(StringComparer.Ordinal));

    /// <summary>The scope strings, sorted, each <c>repository:&lt;name&gt;:&lt;actions&gt;</c> with actions sorted and unique.</summary>
    public IReadOnlyCollection<string> Scopes => _scopes;

    public static AuthScope ForRepository(string repository, params string[] actions)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        var sorted = string.Join(',', actions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return new AuthScope(new SortedSet<string>(StringComparer.Ordinal) { $"repository:{repository}:{sorted}" });
    }

    public static AuthScope Pull(string repository) => ForRepository(repository, "pull");

    public static AuthScope Push(string repository) => ForRepository(repository, "pull", "push");

    /// <summary>Scopes parsed from a challenge's <c>scope</c> parameter (space-separated).</summary>
    public static AuthScope Parse(string? scopes)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var scope in (scopes ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            set.Add(scope);
        }

        return new AuthScope(set).Normalized();
    }

    /// <summary>The union; the actions of the same resource are merged (<c>pull</c> + <c>push</c> → <c>pull,push</c>).</summary>
    public AuthScope Merge(AuthScope other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var set = new SortedSet<string>(_scopes, StringComparer.Ordinal);
        set.UnionWith(other._scopes);
        return new AuthScope(set).Normalized();
    }

    public bool Equals(AuthScope? other) => other is not null && _scopes.SetEquals(other._scopes);

    public override bool Equals(object? obj) => Equals(obj as AuthScope);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>The scopes space-separated, as a token request's <c>scope</c> values.</summary>
    public override string ToString() => string.Join(' ', _scopes);

    // "type:name:actions" entries for one type:name fold into one with the union of actions.
    private AuthScope Normalized()
    {
        var byResource = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var scope in _scopes)
        {
            int lastColon = scope.LastIndexOf(':');
            int firstColon = scope.IndexOf(':');
            if (firstColon < 0 || lastColon == firstColon)
            {
                result.Add(scope);
                continue;
            }

            var resource = scope[..lastColon];
            if (!byResource.TryGetValue(resource, out var actions))
            {
                byResource[resource] = actions = new SortedSet<string>(StringComparer.Ordinal);
            }

            actions.UnionWith(scope[(lastColon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        foreach (var (resource, actions) in byResource)
        {
            result.Add($"{resource}:{string.Join(',', actions)}");
        }

        return new AuthScope(result);
    }
}
