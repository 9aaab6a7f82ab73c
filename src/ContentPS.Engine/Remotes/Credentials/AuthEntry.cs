using System.Text;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Credentials;

/// <summary>One <c>auths</c> entry: <c>auth</c> (base64 of user:password), <c>username</c>/<c>password</c>, <c>identitytoken</c>.</summary>
internal sealed record AuthEntry(string Key, string? Auth, string? Username, string? Password, string? IdentityToken)
{
    /// <summary>
    /// The credential the entry holds, or null when it holds none (an empty <c>{}</c> entry that a
    /// credentials store fills). An identity token wins and becomes a credential with no user name.
    /// </summary>
    /// <exception cref="InvalidArgumentException">The <c>auth</c> value is not base64 of user:password (the message names the file and key, never the value).</exception>
    public RegistryCredential? ToCredential(string filePath)
    {
        if (!string.IsNullOrEmpty(IdentityToken))
        {
            return new RegistryCredential(string.Empty, IdentityToken);
        }

        if (!string.IsNullOrEmpty(Auth))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(Auth.Trim()));
            }
            catch (FormatException)
            {
                throw Invalid(filePath, "is not base64");
            }

            int colon = decoded.IndexOf(':');
            if (colon <= 0)
            {
                throw Invalid(filePath, "is not base64 of user:password");
            }

            return new RegistryCredential(decoded[..colon], decoded[(colon + 1)..].TrimEnd('\0'));
        }

        return !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password)
            ? new RegistryCredential(Username, Password)
            : null;
    }

    private Exception Invalid(string filePath, string problem) => Errors.New(ErrorClass.InvalidArgument,
        $"The 'auth' value of '{Key}' in {filePath} {problem}.", ErrorIds.InvalidCredentialConfig, target: filePath);
}
