using System.Globalization;
using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>Writes the config.yml that docker-registry 2.8 serves from.</summary>
internal static class RegistryConfigFile
{
    public const string Realm = "ContentPS test registry";

    public static void Write(string path, int port, string storageDirectory, string? htpasswdPath)
    {
        var yaml = new StringBuilder()
            .AppendLine("version: 0.1")
            .AppendLine("log:")
            .AppendLine("  level: warn")
            .AppendLine("  accesslog:")
            .AppendLine("    disabled: true")
            .AppendLine("storage:")
            .AppendLine("  filesystem:")
            .AppendLine(CultureInfo.InvariantCulture, $"    rootdirectory: {Quote(storageDirectory)}")
            .AppendLine("  delete:")
            .AppendLine("    enabled: true")
            .AppendLine("  maintenance:")
            .AppendLine("    uploadpurging:")
            .AppendLine("      enabled: false")
            .AppendLine("http:")
            .AppendLine(CultureInfo.InvariantCulture, $"  addr: 127.0.0.1:{port}")
            .AppendLine(CultureInfo.InvariantCulture, $"  secret: {Quote(Convert.ToHexString(Guid.NewGuid().ToByteArray()))}");
        if (htpasswdPath is not null)
        {
            yaml.AppendLine("auth:")
                .AppendLine("  htpasswd:")
                .AppendLine(CultureInfo.InvariantCulture, $"    realm: {Quote(Realm)}")
                .AppendLine(CultureInfo.InvariantCulture, $"    path: {Quote(htpasswdPath)}");
        }

        File.WriteAllText(path, yaml.ToString());
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
