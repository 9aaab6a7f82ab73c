using System.Net;
using System.Text.RegularExpressions;

namespace ContentPS.Engine.Remotes.Http;

/// <summary>Which responses are authentication challenges the authorizer may answer.</summary>
internal static partial class AuthChallenge
{
    /// <summary>A 401, or a 403 whose <c>WWW-Authenticate</c> says <c>error="insufficient_scope"</c> (a token for too few scopes).</summary>
    public static bool IsChallenge(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Unauthorized
        || (response.StatusCode == HttpStatusCode.Forbidden
            && response.Headers.WwwAuthenticate.Any(h => h.Parameter is { } p && InsufficientScope().IsMatch(p)));

    [GeneratedRegex("""(^|[\s,])error\s*=\s*"?insufficient_scope"?""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InsufficientScope();
}
