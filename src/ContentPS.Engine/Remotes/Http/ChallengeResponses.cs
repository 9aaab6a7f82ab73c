using System.Net;
using ContentPS.Engine.Remotes.Auth;

namespace ContentPS.Engine.Remotes.Http;

/// <summary>Which responses are authentication challenges the authorizer may answer.</summary>
internal static class ChallengeResponses
{
    /// <summary>A 401, or a 403 whose <c>WWW-Authenticate</c> says <c>error="insufficient_scope"</c> (a token for too few scopes).</summary>
    public static bool IsChallenge(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Unauthorized
        || (response.StatusCode == HttpStatusCode.Forbidden
            && AuthChallengeParser.Parse(response).Any(challenge => challenge.IsInsufficientScope));
}
