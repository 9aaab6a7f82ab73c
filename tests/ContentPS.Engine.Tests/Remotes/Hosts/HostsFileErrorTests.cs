using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Tests.Remotes.Hosts;

/// <summary>A hosts.toml that cannot be used fails with InvalidHostsConfiguration naming the file and line; unknown keys only warn.</summary>
public sealed class HostsFileErrorTests : IDisposable
{
    private readonly HostsTestRoot _root = new();

    public void Dispose() => _root.Dispose();

    public static TheoryData<string, int, string> BadFiles() => new()
    {
        { "server = \"https://r.example\"\nca = ", 2, "value" },
        { "[host.\"https://a.example\"]\nca = \"a\"\n[host.\"https://a.example\"]\nca = \"b\"", 3, "already defined" },
        { "server = \"https://r.example\"\nserver = \"https://s.example\"", 2, "already defined" },
        { "[host.\"https://a.example\"]\n  capabilities = [\"pull\", \"fly\"]", 2, "unknown capability \"fly\"" },
        { "\n\ncapabilities = \"pull\"", 3, "\"capabilities\" must be an array" },
        { "[host.\"https://a.example\"]\n  capabilities = [1]", 2, "must be an array of strings" },
        { "ca = 5", 1, "\"ca\" must be a string or an array of strings, not an integer" },
        { "ca = [\"a.pem\", true]", 1, "\"ca\" must be an array of strings" },
        { "[host.\"https://a.example\"]\nclient = [[\"only-one.pem\"]]", 2, "[certificate, key] pairs" },
        { "client = 3", 1, "[certificate, key] pairs" },
        { "skip_verify = \"yes\"", 1, "\"skip_verify\" must be true or false, not a string" },
        { "override_path = 1", 1, "\"override_path\" must be true or false" },
        { "header = \"x\"", 1, "\"header\" must be a table, not a string" },
        { "[header]\n\"bad name\" = \"x\"", 2, "not a valid HTTP header name" },
        { "[header]\nx-a = 7", 2, "must be a string or an array of strings" },
        { "[header]\nx-a = \"line\\nbreak\"", 2, "line break" },
        { "\nserver = \"ftp://r.example\"", 2, "\"ftp://r.example\" is not an http or https URL" },
        { "server = \"https://\"", 1, "not an http or https URL" },
        { "\n\n[host.\"https://\"]", 3, "not an http or https URL" },
        { "host = \"https://a.example\"", 1, "\"host\" must be a table, not a string" },
        { "[host]\n\"https://a.example\" = 1", 2, "\"https://a.example\" must be a table" },
        { "[[host]]\nca = \"a\"", 1, "\"host\" must be a table, not an array of tables" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadFileNamesFileAndLine(string toml, int line, string problem)
    {
        var path = _root.Write("r.example", toml);

        var error = Assert.IsAssignableFrom<ClassifiedException>(Record.Exception(() => _root.Configuration().GetHosts("r.example")));

        Assert.Equal(ErrorClass.InvalidArgument, error.Class);
        Assert.Equal(ErrorIds.InvalidHostsConfiguration, error.ErrorId);
        Assert.Equal(path, error.Target);
        Assert.StartsWith($"invalid hosts configuration {path}, line {line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKeysWarnWithFileAndLineAndAreIgnored()
    {
        var path = _root.Write("r.example", """
            server = "https://r.example"
            mirrors = ["https://m.example"]
            [host."https://a.example"]
              capabilities = ["pull"]
              Capabilities = ["push"]
              [host."https://a.example".extra]
                x = 1
            """);

        var hosts = _root.Configuration().GetHosts("r.example");

        Assert.Equal(["https://a.example/v2", "https://r.example/v2"], hosts.Select(h => h.ToString()));
        Assert.Equal(Engine.Remotes.HostCapabilities.Pull, hosts[0].Capabilities);
        Assert.Equal(
            [
                $"hosts configuration {path}, line 5: unknown key \"Capabilities\" is ignored",
                $"hosts configuration {path}, line 6: unknown key \"extra\" is ignored",
                $"hosts configuration {path}, line 2: unknown key \"mirrors\" is ignored",
            ],
            _root.Log.Warnings);
    }

    [Fact]
    public void UnreadableDomainNameIsRejectedBeforeAnyPathIsBuilt()
    {
        _root.Write("_default", """server = "https://r.example" """);

        foreach (var domain in new[] { "../etc", "a/b", "a\\b", "..", " r.example" })
        {
            var error = Assert.IsAssignableFrom<ClassifiedException>(Record.Exception(() => _root.Configuration().GetHosts(domain)));
            Assert.Equal(ErrorClass.InvalidArgument, error.Class);
            Assert.Equal(ErrorIds.InvalidReference, error.ErrorId);
        }
    }
}
