using System.Diagnostics;
using System.Net;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Fixtures;

[Collection(RegistryCollection.Name)]
public sealed class RegistryFixtureTests(SharedRegistry shared)
{
    [Fact]
    public async Task PlainRegistryAnswersV2WithoutCredentials()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Plain);
        using var client = registry.CreateHttpClient();
        using var response = await client.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
        Assert.Null(registry.Username);
        Assert.Null(registry.Password);
        Assert.Equal($"127.0.0.1:{registry.Port}", registry.Host);
        Assert.Equal(new Uri($"http://127.0.0.1:{registry.Port}/"), registry.BaseUri);
        Assert.True(Directory.Exists(registry.RootDirectory));
    }

    [Fact]
    public async Task HtpasswdRegistryRefusesRequestsWithoutCredentials()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Htpasswd);
        using var client = registry.CreateHttpClient(withCredentials: false);
        using var response = await client.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Basic", challenge.Scheme);
        Assert.Contains("realm=", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HtpasswdRegistryAcceptsTheGeneratedCredentials()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Htpasswd);
        using var client = registry.CreateHttpClient();
        using var response = await client.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(registry.Username));
        Assert.False(string.IsNullOrEmpty(registry.Password));
    }

    [Fact]
    public async Task HtpasswdRegistryRefusesAWrongPassword()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Htpasswd);
        using var client = registry.CreateHttpClient(withCredentials: false);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{registry.Username}:wrong")));
        using var response = await client.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SharedRegistriesOfBothFlavorsDoNotCollide()
    {
        var plain = await shared.GetAsync(RegistryFlavor.Plain);
        var htpasswd = await shared.GetAsync(RegistryFlavor.Htpasswd);

        Assert.NotEqual(plain.Port, htpasswd.Port);
        Assert.NotEqual(plain.RootDirectory, htpasswd.RootDirectory);
        Assert.NotEqual(plain.ProcessId, htpasswd.ProcessId);
        Assert.Same(plain, await shared.GetAsync(RegistryFlavor.Plain));
    }

    [Fact]
    public async Task RegistriesStartedTogetherGetTheirOwnPortsAndDisposeLeavesNothingBehind()
    {
        var started = await Task.WhenAll(RegistryFixture.StartAsync(), RegistryFixture.StartAsync(RegistryFlavor.Htpasswd));
        var pids = started.Select(r => r.ProcessId).ToList();
        var roots = started.Select(r => r.RootDirectory).ToList();
        try
        {
            Assert.NotEqual(started[0].Port, started[1].Port);
            foreach (var registry in started)
            {
                using var client = registry.CreateHttpClient();
                using var response = await client.GetAsync("v2/");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        finally
        {
            foreach (var registry in started)
            {
                await registry.DisposeAsync();
            }
        }

        foreach (var pid in pids)
        {
            Assert.False(IsRunning(pid), $"docker-registry process {pid} is still running after DisposeAsync.");
        }

        foreach (var root in roots)
        {
            Assert.False(Directory.Exists(root), $"{root} still exists after DisposeAsync.");
        }
    }

    [Fact]
    public async Task DisposeTwiceIsHarmless()
    {
        var registry = await RegistryFixture.StartAsync();
        await registry.DisposeAsync();
        await registry.DisposeAsync();
        Assert.False(IsRunning(registry.ProcessId));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
