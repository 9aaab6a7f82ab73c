using ContentPS.Engine.Remotes.Hosts;

namespace ContentPS.Engine.Tests.Remotes.Hosts;

/// <summary>Every form of hosts.toml containerd reads, from a real file, as the list of hosts it gives (see <see cref="HostSummary"/>).</summary>
public sealed class HostsFileFormTests : IDisposable
{
    private readonly HostsTestRoot _root = new();

    public void Dispose() => _root.Dispose();

    public static TheoryData<string, string, string, string[]> Cases() => new()
    {
        {
            "server only", "registry.example", """server = "https://registry.example" """,
            ["https://registry.example/v2 caps=All"]
        },
        {
            "no server: the registry's own host, root settings kept", "registry.example:5000", """
            ca = "root-ca.pem"
            skip_verify = true
            capabilities = ["pull"]
            """,
            ["https://registry.example:5000/v2 caps=All skip ca=~/root-ca.pem"]
        },
        {
            "docker.io without server is registry-1.docker.io", "docker.io", """
            [host."https://mirror.gcr.io"]
              capabilities = ["pull", "resolve"]
            """,
            ["mirror https://mirror.gcr.io/v2 caps=Pull, Resolve", "https://registry-1.docker.io/v2 caps=All"]
        },
        {
            "loopback without scheme is plain http, other hosts https", "127.0.0.1:5000", """
            server = "127.0.0.1:5000"
            [host."mirror.example:8443"]
            [host."localhost:6000"]
            """,
            ["mirror https://mirror.example:8443/v2 caps=All", "mirror http://localhost:6000/v2 caps=All", "http://127.0.0.1:5000/v2 caps=All"]
        },
        {
            "http only where the URL says so; https kept for loopback", "registry.example", """
            server = "https://127.0.0.1:5443"
            [host."http://mirror.example"]
            """,
            ["mirror http://mirror.example/v2 caps=All", "https://127.0.0.1:5443/v2 caps=All"]
        },
        {
            "mirrors in file order, not sorted", "registry.example", """
            server = "https://registry.example"
            [host."https://zz.example"]
            [host."https://aa.example"]
            [host."https://mm.example"]
            """,
            ["mirror https://zz.example/v2 caps=All", "mirror https://aa.example/v2 caps=All", "mirror https://mm.example/v2 caps=All", "https://registry.example/v2 caps=All"]
        },
        {
            "paths: /v2 appended, kept when present, as written with override_path", "registry.example", """
            server = "https://registry.example/"
            [host."https://a.example/us"]
            [host."https://b.example/cache/v2/"]
            [host."https://c.example/v2/namespaceprefix"]
              override_path = true
            [host."https://d.example"]
              override_path = true
            """,
            ["mirror https://a.example/us/v2 caps=All", "mirror https://b.example/cache/v2 caps=All", "mirror https://c.example/v2/namespaceprefix caps=All", "mirror https://d.example caps=All", "https://registry.example/v2 caps=All"]
        },
        {
            "capabilities per entry, any case; empty means all; the server keeps its own", "registry.example", """
            server = "https://registry.example"
            capabilities = ["pull", "resolve"]
            [host."https://a.example"]
              capabilities = ["pull"]
            [host."https://b.example"]
              capabilities = ["PUSH", "Resolve"]
            [host."https://c.example"]
              capabilities = []
            """,
            ["mirror https://a.example/v2 caps=Pull", "mirror https://b.example/v2 caps=Resolve, Push", "mirror https://c.example/v2 caps=All", "https://registry.example/v2 caps=Pull, Resolve"]
        },
        {
            "ca: a string, an array, relative to the host folder", "registry.example", """
            server = "https://registry.example"
            ca = "/etc/certs/root.pem"
            [host."https://a.example"]
              ca = ["/etc/certs/a.pem", "certs/b.pem"]
            [host."https://b.example"]
              ca = "../shared/ca.pem"
            """,
            ["mirror https://a.example/v2 caps=All ca=/etc/certs/a.pem,~/certs/b.pem", "mirror https://b.example/v2 caps=All ca=SHARED/ca.pem", "https://registry.example/v2 caps=All ca=/etc/certs/root.pem"]
        },
        {
            "client: a file, files, [certificate, key] pairs with an empty key", "registry.example", """
            server = "https://registry.example"
            client = "both.pem"
            [host."https://a.example"]
              client = ["/etc/certs/one.pem", "two.pem"]
            [host."https://b.example"]
              client = [["/etc/certs/client.cert", "/etc/certs/client.key"], ["combined.pem", ""]]
            """,
            ["mirror https://a.example/v2 caps=All client=/etc/certs/one.pem,~/two.pem", "mirror https://b.example/v2 caps=All client=/etc/certs/client.cert+/etc/certs/client.key,~/combined.pem", "https://registry.example/v2 caps=All client=~/both.pem"]
        },
        {
            "skip_verify true and false", "registry.example", """
            server = "https://registry.example"
            skip_verify = false
            [host."https://a.example"]
              skip_verify = true
            """,
            ["mirror https://a.example/v2 caps=All skip", "https://registry.example/v2 caps=All"]
        },
        {
            "headers: strings and arrays; names differing in case merge; root headers only for the server", "registry.example", """
            server = "https://registry.example"
            [header]
              x-custom-1 = "one"
              X-Custom-1 = ["two", "three"]
            [host."https://a.example"]
              [host."https://a.example".header]
                x-mirror = ["m1", "m2"]
                authorization-hint = "x"
            """,
            ["mirror https://a.example/v2 caps=All header=x-mirror:m1|m2;authorization-hint:x", "https://registry.example/v2 caps=All header=x-custom-1:one|two|three"]
        },
        {
            "an IPv6 loopback mirror", "registry.example", """
            [host."[::1]:5000"]
            """,
            ["mirror http://[::1]:5000/v2 caps=All", "https://registry.example/v2 caps=All"]
        },
        {
            "an empty file is the registry's own host", "registry.example", "",
            ["https://registry.example/v2 caps=All"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FormGivesHosts(string name, string domain, string toml, string[] expected)
    {
        Assert.NotEmpty(name);
        var folder = Path.GetDirectoryName(_root.Write(domain.Replace(":", "_", StringComparison.Ordinal) + (domain.Contains(':') ? "_" : ""), toml))!;
        var shared = Path.GetFullPath(Path.Combine(folder, "..", "shared"));

        var hosts = _root.Configuration().GetHosts(domain);

        var actual = hosts.Select(h => HostSummary.Of(h, folder).Replace(shared, "SHARED", StringComparison.Ordinal)).ToArray();
        Assert.Equal(expected, actual);
        Assert.All(hosts, h => Assert.Equal(domain, h.RegistryDomain));
        Assert.False(hosts[^1].IsMirror);
        Assert.Empty(_root.Log.Warnings);
    }

    public static TheoryData<string, string, string> UrlCases() => new()
    {
        { """server = "https://r.example" """, "library/ubuntu/manifests/latest", "https://r.example/v2/library/ubuntu/manifests/latest" },
        { """server = "https://r.example/prefix" """, "library/ubuntu/manifests/latest", "https://r.example/prefix/v2/library/ubuntu/manifests/latest" },
        { "server = \"https://r.example/v2/ns\"\noverride_path = true", "library/ubuntu/manifests/latest", "https://r.example/v2/ns/library/ubuntu/manifests/latest" },
        { "server = \"https://r.example\"\noverride_path = true", "library/ubuntu/blobs/sha256:ab", "https://r.example/library/ubuntu/blobs/sha256:ab" },
        { """server = "https://r.example/prefix" """, "", "https://r.example/prefix/v2/" },
    };

    [Theory]
    [MemberData(nameof(UrlCases))]
    public void OverridePathBuildsUrls(string toml, string apiPath, string expected)
    {
        _root.Write("r.example", toml);

        var server = _root.Configuration().GetHosts("r.example").Single();

        Assert.Equal(expected, server.Url(apiPath).ToString());
    }
}
