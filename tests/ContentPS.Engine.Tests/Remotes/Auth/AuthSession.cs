using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Auth;
using ContentPS.Engine.Remotes.Hosts;
using ContentPS.Engine.Remotes.Http;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Auth;

/// <summary>
/// A <see cref="RegistryAuthorizer"/> and the baseline <see cref="RegistryTransport"/> against one
/// fixture registry, with a captured log, and small helpers for the requests the auth tests send.
/// </summary>
internal sealed class AuthSession
{
    public AuthSession(RegistryFixture registry, RegistryCredential? credential = null, TimeProvider? clock = null, ICredentialProvider? provider = null)
    {
        Registry = registry;
        Options = new RegistryClientOptions { Credential = credential, Log = Log };
        Authorizer = new RegistryAuthorizer(Options, provider, tokenClient: null, clock);
        Transport = new RegistryTransport(Options, Authorizer);
        Host = DefaultRegistryHosts.ForDomain(registry.Host);
    }

    public RegistryFixture Registry { get; }

    public CapturingLog Log { get; } = new();

    public RegistryClientOptions Options { get; }

    public RegistryAuthorizer Authorizer { get; }

    public RegistryTransport Transport { get; }

    public RegistryHost Host { get; }

    public static RegistryCredential UserOf(RegistryFixture registry) => new(registry.Username!, registry.Password!);

    /// <summary>How many requests were answered 401 (request lines are "VERBOSE: &lt;method&gt; &lt;url&gt; &lt;status&gt;[; &lt;retry decision&gt;]").</summary>
    public int UnauthorizedCount => Log.Lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^VERBOSE: \S+ \S+ 401(;|$)"));

    /// <summary>A repository name no other test uses, under <paramref name="prefix"/>.</summary>
    public static string UniqueRepository(string prefix) => $"{prefix}auth-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthScope scope, Func<HttpContent>? content = null, string? query = null) =>
        Transport.SendAsync(new RegistryRequest { Host = Host, Method = method, Path = path, Query = query, Scope = scope, Content = content }, CancellationToken.None);

    /// <summary>Uploads <paramref name="bytes"/> as a blob of <paramref name="repository"/> (POST then monolithic PUT); returns its digest.</summary>
    public async Task<string> PushBlobAsync(string repository, byte[] bytes)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var started = await SendAsync(HttpMethod.Post, $"{repository}/blobs/uploads/", AuthScope.Push(repository));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, started.StatusCode);
        var location = new Uri(Host.Url(string.Empty), started.Headers.Location!);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var put = await Transport.SendAsync(new RegistryRequest
        {
            Host = Host,
            Method = HttpMethod.Put,
            Url = new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest)),
            Scope = AuthScope.Push(repository),
            Content = () => new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        }, CancellationToken.None);
        Assert.Equal(System.Net.HttpStatusCode.Created, put.StatusCode);
        return digest;
    }

    /// <summary>Pushes a one-layer image with skopeo (the fixture's own credentials) and returns the manifest digest.</summary>
    public static async Task<string> PushImageAsync(RegistryFixture registry, string repository, string directory)
    {
        var layout = ImageLayouts.Create(LayoutScenario.SinglePlatform, directory, new LayoutOptions { LayerCount = 1, LayerSize = 512 });
        await registry.PushLayoutAsync(layout.Directory, layout.RefName, repository, "v1");
        return layout.Digest;
    }

    public static byte[] RandomBytes(int count) => RandomNumberGenerator.GetBytes(count);

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
