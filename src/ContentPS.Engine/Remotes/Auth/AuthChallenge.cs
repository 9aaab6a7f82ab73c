namespace ContentPS.Engine.Remotes.Auth;

/// <summary>One challenge of a <c>WWW-Authenticate</c> header: a scheme and its parameters (RFC 7235).</summary>
public sealed class AuthChallenge
{
    public const string BasicScheme = "Basic";
    public const string BearerScheme = "Bearer";

    public AuthChallenge(string scheme, IReadOnlyDictionary<string, string> parameters, string? token68 = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(parameters);
        Scheme = scheme;
        Parameters = parameters;
        Token68 = token68;
    }

    /// <summary>The scheme as sent (compare it case-insensitively, or use <see cref="IsBasic"/>/<see cref="IsBearer"/>).</summary>
    public string Scheme { get; }

    /// <summary>The auth-params; names are case-insensitive, values unquoted and unescaped.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The token68 form of credentials (<c>Negotiate abc==</c>), when the challenge has one instead of parameters.</summary>
    public string? Token68 { get; }

    public bool IsBasic => string.Equals(Scheme, BasicScheme, StringComparison.OrdinalIgnoreCase);

    public bool IsBearer => string.Equals(Scheme, BearerScheme, StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameter("realm");

    public string? Service => Parameter("service");

    /// <summary>The space-separated scopes the registry wants (Bearer).</summary>
    public string? Scope => Parameter("scope");

    /// <summary>Why the request was refused (<c>invalid_token</c>, <c>insufficient_scope</c>), when the registry says.</summary>
    public string? Error => Parameter("error");

    public bool IsInsufficientScope => string.Equals(Error, "insufficient_scope", StringComparison.Ordinal);

    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    public override string ToString() =>
        Token68 is not null ? $"{Scheme} {Token68}" : $"{Scheme} {string.Join(", ", Parameters.Select(p => $"{p.Key}=\"{p.Value}\""))}".TrimEnd();
}
