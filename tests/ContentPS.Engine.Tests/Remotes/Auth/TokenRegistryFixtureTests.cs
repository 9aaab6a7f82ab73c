using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Auth;

/// <summary>The token-auth registry flavour itself: what its registry and token server answer to plain HTTP.</summary>
[Collection(RegistryCollection.Name)]
public sealed class TokenRegistryFixtureTests(SharedRegistry shared)
{
    [Fact]
    public async Task TheRegistryChallengesWithTheFixturesRealmAndService()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        using var client = registry.CreateHttpClient(withCredentials: false);

        using var response = await client.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains($"realm=\"{registry.TokenRealm}\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains($"service=\"{TokenServer.ServiceName}\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal("testuser", registry.Username);
        Assert.False(string.IsNullOrEmpty(registry.Password));
    }

    [Fact]
    public async Task TheFixtureClientWithCredentialsFollowsTheChallenge()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        using var client = registry.CreateHttpClient();

        using var response = await client.GetAsync("v2/fixture/anything/tags/list");

        // Authorized: the registry says the repository is unknown instead of 401.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheTokenServerRefusesAWrongPasswordAndRecordsIt()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        using var http = new HttpClient();
        int before = registry.TokenRequests.Count;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{registry.TokenRealm}?service={TokenServer.ServiceName}&scope=repository:fixture/x:pull");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("testuser:wrong")));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var record = registry.TokenRequests[before];
        Assert.Equal(("GET", true, 401, (string?)null), (record.Method, record.BasicPresented, record.Status, record.AuthenticatedUser));
        Assert.Equal(["repository:fixture/x:pull"], record.Scopes);
    }

    [Fact]
    public async Task APasswordPostAskingOfflineAccessGetsARefreshTokenThatWorks()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        using var http = new HttpClient();

        using var first = await http.PostAsync(registry.TokenRealm, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = registry.Username!, ["password"] = registry.Password!,
            ["service"] = TokenServer.ServiceName, ["client_id"] = "test", ["access_type"] = "offline",
        }));
        using var firstJson = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var refresh = firstJson.RootElement.GetProperty("refresh_token").GetString()!;
        using var second = await http.PostAsync(registry.TokenRealm, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["service"] = TokenServer.ServiceName,
            ["client_id"] = "test", ["scope"] = "repository:fixture/y:pull,push",
        }));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var secondJson = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        var token = secondJson.RootElement.GetProperty("access_token").GetString()!;
        using var registryClient = registry.CreateHttpClient(withCredentials: false);
        using var upload = new HttpRequestMessage(HttpMethod.Post, "v2/fixture/y/blobs/uploads/");
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var accepted = await registryClient.SendAsync(upload);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task AnAnonymousTokenGrantsNothingOutsidePublic()
    {
        var registry = await shared.GetAsync(RegistryFlavor.Token);
        using var http = new HttpClient();

        using var response = await http.GetAsync($"{registry.TokenRealm}?service={TokenServer.ServiceName}&scope=repository:private/z:pull&scope=repository:public/z:pull,push");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var claims = json.RootElement.GetProperty("token").GetString()!.Split('.')[1];
        var padded = claims.Replace('-', '+').Replace('_', '/').PadRight(claims.Length + (4 - claims.Length % 4) % 4, '=');
        using var payload = JsonDocument.Parse(Convert.FromBase64String(padded));

        var access = payload.RootElement.GetProperty("access").EnumerateArray()
            .Select(a => (a.GetProperty("name").GetString(), string.Join(',', a.GetProperty("actions").EnumerateArray().Select(x => x.GetString()))))
            .ToList();
        Assert.Equal([("public/z", "pull")], access);
        Assert.Equal(TokenServer.ServiceName, payload.RootElement.GetProperty("aud").GetString());
    }
}
