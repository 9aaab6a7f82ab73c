using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Hosts;

namespace ContentPS.Engine.Tests.Remotes.Hosts;

/// <summary>Which hosts.toml serves a domain, the defaults without one, -SkipCertificateCheck, and the per-process cache.</summary>
public sealed class HostsConfigurationTests : IDisposable
{
    private readonly HostsTestRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void FolderWithPortUnderscoresWinsOverColonForm()
    {
        _root.Write("127.0.0.1_5000_", """server = "http://underscore.example" """);
        _root.Write("127.0.0.1:5000", """server = "http://colon.example" """);
        _root.Write("_default", """server = "http://default.example" """);

        Assert.Equal("underscore.example", _root.Configuration().GetHosts("127.0.0.1:5000").Single().Host);
    }

    [Fact]
    public void ColonFormIsUsedWhenAlone()
    {
        _root.Write("127.0.0.1:5000", """server = "http://colon.example" """);

        Assert.Equal("colon.example", _root.Configuration().GetHosts("127.0.0.1:5000").Single().Host);
    }

    [Fact]
    public void DefaultFolderServesOtherDomainsWithTheirOwnHostAsServer()
    {
        _root.Write("r.example", """server = "https://specific.example" """);
        _root.Write("_default", """
            [host."https://cache.example"]
              capabilities = ["pull"]
            """);
        var configuration = _root.Configuration();

        Assert.Equal("specific.example", configuration.GetHosts("r.example").Single().Host);
        var other = configuration.GetHosts("other.example:443");
        Assert.Equal(["https://cache.example/v2", "https://other.example:443/v2"], other.Select(h => h.ToString()));
        Assert.Equal([true, false], other.Select(h => h.IsMirror));
        var hub = configuration.GetHosts("docker.io");
        Assert.Equal(["cache.example", "registry-1.docker.io"], hub.Select(h => h.Host));
        Assert.All(hub, h => Assert.Equal("docker.io", h.RegistryDomain));
    }

    [Fact]
    public void DockerHubAliasesUseTheDockerIoFolder()
    {
        _root.Write("docker.io", """
            [host."https://hub-mirror.example"]
            """);

        var hosts = _root.Configuration().GetHosts("index.docker.io");

        Assert.Equal(["hub-mirror.example", "registry-1.docker.io"], hosts.Select(h => h.Host));
        Assert.All(hosts, h => Assert.Equal("docker.io", h.RegistryDomain));
    }

    [Fact]
    public void FirstRootWithAMatchWinsEvenWithItsDefault()
    {
        var user = _root.OtherRoot("user");
        var system = _root.OtherRoot("system");
        _root.Write("_default", """server = "https://user-default.example" """, user);
        _root.Write("r.example", """server = "https://system-specific.example" """, system);
        _root.Write("s.example", """server = "https://system-s.example" """, system);
        var configuration = _root.Configuration(false, _root.OtherRoot("missing"), user, system);

        Assert.Equal("user-default.example", configuration.GetHosts("r.example").Single().Host);
        Assert.Equal(_root.OtherRoot("missing"), configuration.Directories[0]);

        File.Delete(Path.Combine(user, "_default", HostsDirectories.FileName));
        Assert.Equal("system-specific.example", configuration.GetHosts("r.example").Single().Host);
        Assert.Equal("system-s.example", configuration.GetHosts("s.example").Single().Host);
    }

    [Fact]
    public void FolderWithoutHostsTomlDoesNotCount()
    {
        Directory.CreateDirectory(Path.Combine(_root.Root, "r.example"));
        File.WriteAllText(Path.Combine(_root.Root, "r.example", "ca.crt"), "not read");
        _root.Write("_default", """server = "https://fallback.example" """);

        Assert.Equal("fallback.example", _root.Configuration().GetHosts("r.example").Single().Host);
        Assert.Equal(Path.Combine(_root.Root, "_default", HostsDirectories.FileName), _root.Configuration().FindFile("r.example"));
    }

    [Theory]
    [InlineData("docker.io", "https", "registry-1.docker.io")]
    [InlineData("ghcr.io", "https", "ghcr.io")]
    [InlineData("localhost:5000", "http", "localhost:5000")]
    [InlineData("127.0.0.1:41234", "http", "127.0.0.1:41234")]
    public void WithoutAFileTheDefaultHostServes(string domain, string scheme, string host)
    {
        Directory.CreateDirectory(_root.Root);

        var only = _root.Configuration().GetHosts(domain).Single();

        Assert.Equal((scheme, host, "/v2", HostCapabilities.All, false, false), (only.Scheme, only.Host, only.PathPrefix, only.Capabilities, only.IsMirror, only.Tls.SkipVerify));
        Assert.Null(_root.Configuration().FindFile(domain));
    }

    [Fact]
    public void SkipCertificateCheckAppliesToEveryHost()
    {
        _root.Write("r.example", """
            server = "https://r.example"
            skip_verify = false
            [host."https://a.example"]
              ca = "/etc/certs/a.pem"
            [host."https://b.example"]
              skip_verify = true
            """);

        var checkedHosts = _root.Configuration(skipCertificateCheck: false).GetHosts("r.example");
        var skipped = _root.Configuration(skipCertificateCheck: true).GetHosts("r.example");

        Assert.Equal([false, true, false], checkedHosts.Select(h => h.Tls.SkipVerify));
        Assert.Equal([true, true, true], skipped.Select(h => h.Tls.SkipVerify));
        Assert.Equal(["/etc/certs/a.pem"], skipped[0].Tls.CaFiles);
        Assert.True(_root.Configuration(skipCertificateCheck: true).GetHosts("unconfigured.example").Single().Tls.SkipVerify);
    }

    [Fact]
    public void UnchangedFileIsParsedOncePerProcess()
    {
        _root.Write("r.example", """server = "https://one.example" """);

        var first = _root.Configuration().GetHosts("r.example");
        var second = _root.Configuration().GetHosts("r.example");

        Assert.Equal(1, _root.Cache.ParseCount);
        Assert.Equal(first.Select(h => h.ToString()), second.Select(h => h.ToString()));
    }

    [Fact]
    public void ChangedFileIsParsedAgain()
    {
        var path = _root.Write("r.example", """server = "https://one.example" """);
        var configuration = _root.Configuration();
        Assert.Equal("one.example", configuration.GetHosts("r.example").Single().Host);
        var written = File.GetLastWriteTimeUtc(path);

        // Same length and time: the change check does not see it, the cached file serves.
        File.WriteAllText(path, """server = "https://two.example" """);
        File.SetLastWriteTimeUtc(path, written);
        Assert.Equal("one.example", configuration.GetHosts("r.example").Single().Host);
        Assert.Equal(1, _root.Cache.ParseCount);

        File.SetLastWriteTimeUtc(path, written.AddSeconds(2));
        Assert.Equal("two.example", configuration.GetHosts("r.example").Single().Host);
        Assert.Equal(2, _root.Cache.ParseCount);

        // Same time, other length.
        File.WriteAllText(path, """server = "https://three-longer.example" """);
        File.SetLastWriteTimeUtc(path, written.AddSeconds(2));
        Assert.Equal("three-longer.example", configuration.GetHosts("r.example").Single().Host);
        Assert.Equal(3, _root.Cache.ParseCount);
    }

    [Fact]
    public void BrokenFileIsNotCachedAndFixingItWorks()
    {
        var path = _root.Write("r.example", """server = "https://one.example" """);
        var configuration = _root.Configuration();
        configuration.GetHosts("r.example");

        File.WriteAllText(path, "server = ");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(ErrorIds.InvalidHostsConfiguration, Assert.IsAssignableFrom<ClassifiedException>(Record.Exception(() => configuration.GetHosts("r.example"))).ErrorId);
        Assert.Equal(ErrorIds.InvalidHostsConfiguration, Assert.IsAssignableFrom<ClassifiedException>(Record.Exception(() => configuration.GetHosts("r.example"))).ErrorId);

        File.WriteAllText(path, """server = "https://fixed.example" """);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(10));
        Assert.Equal("fixed.example", configuration.GetHosts("r.example").Single().Host);
    }

    [Fact]
    public void WarningsComeOncePerConfigurationAndFileVersion()
    {
        var path = _root.Write("r.example", "server = \"https://r.example\"\nunknown = 1");
        var configuration = _root.Configuration();

        configuration.GetHosts("r.example");
        configuration.GetHosts("r.example");
        Assert.Single(_root.Log.Warnings);

        _root.Configuration().GetHosts("r.example");
        Assert.Equal(2, _root.Log.Warnings.Count);

        File.WriteAllText(path, "server = \"https://r.example\"\nunknown = 2\nother = 3");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        configuration.GetHosts("r.example");
        Assert.Equal(4, _root.Log.Warnings.Count);
        Assert.Equal(2, _root.Cache.ParseCount);
    }

    [Fact]
    public void ResolvePrefersTheOption()
    {
        var roots = HostsDirectories.Resolve(new RegistryClientOptions { HostsDirectory = _root.Root });

        Assert.Equal([_root.Root], roots);
        Assert.Equal([_root.Root], HostsConfiguration.Load(new RegistryClientOptions { HostsDirectory = _root.Root }).Directories);
    }

    [Fact]
    public void DefaultsArePerUserThenContainerdThenDocker()
    {
        var defaults = HostsDirectories.Defaults();

        Assert.Equal(3, defaults.Count);
        Assert.EndsWith(Path.Combine("ContentPS", "certs.d"), defaults[0], StringComparison.Ordinal);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            Assert.Equal(["/etc/containerd/certs.d", "/etc/docker/certs.d"], defaults.Skip(1));
        }
        else
        {
            Assert.EndsWith(Path.Combine("containerd", "certs.d"), defaults[1], StringComparison.Ordinal);
            Assert.EndsWith(Path.Combine("docker", "certs.d"), defaults[2], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "127.0.0.1_5000_", "127.0.0.1:5000")]
    [InlineData("docker.io", null, "docker.io")]
    [InlineData("[::1]:5000", "[::1]_5000_", "[::1]:5000")]
    public void FolderNamesFollowContainerd(string domain, string? portForm, string plainForm)
    {
        var expected = new List<string>();
        if (portForm is not null) expected.Add(portForm);
        expected.Add(OperatingSystem.IsWindows() ? plainForm.Replace(":", "", StringComparison.Ordinal) : plainForm);
        expected.Add("_default");

        Assert.Equal(expected, HostsDirectories.FolderNames(domain));
    }

    [Theory]
    [InlineData("127.0.0.1_5000_", "127.0.0.1:5000")]
    [InlineData("registry.example", "registry.example")]
    [InlineData("localhost:5000", "localhost:5000")]
    [InlineData("odd_name_", "odd_name_")]
    [InlineData("_default", null)]
    public void FolderNamesMapBackToDomains(string folder, string? domain) =>
        Assert.Equal(domain, HostsDirectories.DomainOfFolder(folder));
}
