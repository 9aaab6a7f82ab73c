using System.Globalization;
using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>The <c>auth: token:</c> block of a token-flavour registry's config.yml, and the root certificate bundle it names.</summary>
internal static class TokenRegistryConfig
{
    /// <summary>Writes the token server's certificate beside the config and appends the auth block to <paramref name="configPath"/>.</summary>
    public static void Append(string configPath, TokenServer server)
    {
        var bundlePath = Path.Combine(Path.GetDirectoryName(configPath)!, "token-root.pem");
        File.WriteAllText(bundlePath, server.RootCertificatePem);
        var yaml = new StringBuilder()
            .AppendLine("auth:")
            .AppendLine("  token:")
            .AppendLine(CultureInfo.InvariantCulture, $"    realm: {Quote(server.Realm.ToString())}")
            .AppendLine(CultureInfo.InvariantCulture, $"    service: {Quote(TokenServer.ServiceName)}")
            .AppendLine(CultureInfo.InvariantCulture, $"    issuer: {Quote(TokenServer.IssuerName)}")
            .AppendLine(CultureInfo.InvariantCulture, $"    rootcertbundle: {Quote(bundlePath)}");
        File.AppendAllText(configPath, yaml.ToString());
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
