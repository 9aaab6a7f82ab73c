using System.Net.Http.Headers;
using System.Text;

namespace ContentPS.Engine.Remotes.Auth;

/// <summary>The <c>Authorization: Basic</c> header of a credential.</summary>
internal static class BasicAuthorization
{
    public static AuthenticationHeaderValue Create(RegistryCredential credential) =>
        new(AuthChallenge.BasicScheme, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Secret}")));
}
