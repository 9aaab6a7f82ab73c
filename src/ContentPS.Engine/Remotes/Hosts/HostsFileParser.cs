using System.Globalization;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;
using Tomlyn.Syntax;

namespace ContentPS.Engine.Remotes.Hosts;

/// <summary>
/// Reads containerd's hosts.toml: root keys <c>server</c>, <c>capabilities</c>, <c>ca</c>, <c>client</c>,
/// <c>skip_verify</c>, <c>header</c>, <c>override_path</c>, and <c>[host."URL"]</c> tables with the same
/// keys but <c>server</c>. Relative certificate paths are relative to the file's folder. Invalid TOML,
/// a value of the wrong type, an unknown capability or a URL that is not http(s) throw
/// <c>InvalidHostsConfiguration</c>; unknown keys are returned as warnings and otherwise ignored.
/// </summary>
internal static class HostsFileParser
{
    private const string ServerKey = "server";
    private const string HostKey = "host";

    public static HostsFile Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var root = Read(path, text);
        var warnings = new List<string>();
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";

        var mirrors = new List<HostsFileEntry>();
        var hostTables = root.Table(HostKey);
        if (hostTables is not null)
        {
            foreach (var url in hostTables.Keys)
            {
                var table = hostTables.Table(url)!;
                mirrors.Add(ReadEntry(table, url, table.Line, folder));
                Warn(table, warnings);
            }
        }

        var server = root.String(ServerKey);
        var serverEntry = ReadEntry(root, string.IsNullOrWhiteSpace(server) ? null : server, root.LineOf(ServerKey), folder);
        Warn(root, warnings);
        return new HostsFile(path, mirrors, serverEntry, warnings);
    }

    private static HostsTomlTable Read(string path, string text)
    {
        // The syntax pass rejects what the model pass lets through (keys and tables defined twice).
        var document = SyntaxParser.Parse(text, path, validate: true);
        var error = document.Diagnostics.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error);
        if (error is not null)
        {
            throw HostsFileErrors.Invalid(path, error.Span.Start.Line + 1, error.Message);
        }

        var metadata = new TomlMetadataStore();
        try
        {
            var table = TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions { SourceName = path, MetadataStore = metadata })
                ?? new TomlTable();
            return new HostsTomlTable(path, table, metadata, line: 1);
        }
        catch (TomlException e)
        {
            throw HostsFileErrors.Invalid(path, e.Line ?? 1, e.Message, e);
        }
    }

    /// <param name="url">The <c>[host."…"]</c> key or the <c>server</c> value; null for a file without <c>server</c>.</param>
    /// <param name="urlLine">The line of <paramref name="url"/>, for an error about it.</param>
    private static HostsFileEntry ReadEntry(HostsTomlTable table, string? url, int urlLine, string folder)
    {
        bool overridePath = table.Boolean("override_path") ?? false;
        HostsEndpoint? endpoint = null;
        if (url is not null)
        {
            endpoint = HostsEndpoint.TryParse(url, overridePath)
                ?? throw HostsFileErrors.Invalid(table.Path, urlLine, $"\"{url}\" is not an http or https URL with a host");
        }

        return new HostsFileEntry
        {
            Endpoint = endpoint,
            Capabilities = ReadCapabilities(table),
            SkipVerify = table.Boolean("skip_verify"),
            CaFiles = table.StringOrStrings("ca").Select(p => Absolute(p, folder)).ToArray(),
            ClientCertificates = ReadClientCertificates(table, folder),
            Headers = ReadHeaders(table),
        };
    }

    private static HostCapabilities ReadCapabilities(HostsTomlTable table)
    {
        var names = table.Value("capabilities") switch
        {
            null => [],
            TomlArray array => table.Strings("capabilities", array),
            _ => throw table.Invalid("capabilities", "\"capabilities\" must be an array of \"pull\", \"resolve\" and \"push\""),
        };
        if (names.Count == 0)
        {
            return HostCapabilities.All;
        }

        var capabilities = HostCapabilities.None;
        foreach (var name in names)
        {
            capabilities |= name.ToLowerInvariant() switch
            {
                "pull" => HostCapabilities.Pull,
                "resolve" => HostCapabilities.Resolve,
                "push" => HostCapabilities.Push,
                _ => throw table.Invalid("capabilities", $"unknown capability \"{name}\" (use pull, resolve or push)"),
            };
        }

        return capabilities;
    }

    // client = "both.pem" | ["a.pem", "b.pem"] | [["cert.pem", "key.pem"], ["both.pem", ""]]
    private static IReadOnlyList<ClientCertificateFiles> ReadClientCertificates(HostsTomlTable table, string folder)
    {
        const string key = "client";
        const string expected = "\"client\" must be a file, an array of files, or an array of [certificate, key] pairs";
        var value = table.Value(key);
        if (value is null)
        {
            return [];
        }

        var items = value switch
        {
            string single => [single],
            TomlArray array => array.Cast<object?>().ToArray(),
            _ => throw table.Invalid(key, expected),
        };
        var pairs = new List<ClientCertificateFiles>(items.Length);
        foreach (var item in items)
        {
            switch (item)
            {
                case string file:
                    pairs.Add(new ClientCertificateFiles(Absolute(file, folder), null));
                    break;
                case TomlArray pair when pair.Count == 2 && pair[0] is string certificate && pair[1] is string keyFile:
                    pairs.Add(new ClientCertificateFiles(Absolute(certificate, folder), keyFile.Length == 0 ? null : Absolute(keyFile, folder)));
                    break;
                default:
                    throw table.Invalid(key, expected);
            }
        }

        return pairs;
    }

    // header = { name = "value" | ["value", …] }; names differing only in case are one header.
    private static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadHeaders(HostsTomlTable table)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (table.Table("header") is not { } header)
        {
            return headers;
        }

        foreach (var name in header.Keys)
        {
            if (!IsToken(name))
            {
                throw header.Invalid(name, $"\"{name}\" is not a valid HTTP header name");
            }

            var values = header.StringOrStrings(name);
            if (values.Any(v => v.Contains('\r') || v.Contains('\n')))
            {
                throw header.Invalid(name, $"a value of header \"{name}\" has a line break");
            }

            headers[name] = headers.TryGetValue(name, out var earlier) ? [.. earlier, .. values] : values;
        }

        return headers;
    }

    private static void Warn(HostsTomlTable table, List<string> warnings)
    {
        foreach (var key in table.UnreadKeys)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"hosts configuration {table.Path}, line {table.LineOf(key)}: unknown key \"{key}\" is ignored"));
        }
    }

    private static string Absolute(string path, string folder) =>
        System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, path));

    // RFC 9110 token characters.
    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));
}
