using System.Security.Cryptography;

namespace ContentPS.TestFixtures;

/// <summary>Generates a user and password and writes them as a bcrypt htpasswd file (htpasswd -B -b -c).</summary>
internal static class HtpasswdFile
{
    public static async Task<(string Username, string Password)> CreateAsync(string path, CancellationToken cancellationToken)
    {
        var htpasswd = ToolRunner.Find("htpasswd") ?? throw new FixtureException(
            "The htpasswd registry flavor needs 'htpasswd' to write a bcrypt password file and it is not installed. "
            + "Install it: apt-get install apache2-utils (Debian/Ubuntu; run as root or with sudo).");
        var username = "contentps-" + RandomNumberGenerator.GetHexString(8, lowercase: true);
        var password = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 24);
        (await ToolRunner.RunAsync(htpasswd, ["-B", "-b", "-c", path, username, password], cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        return (username, password);
    }
}
