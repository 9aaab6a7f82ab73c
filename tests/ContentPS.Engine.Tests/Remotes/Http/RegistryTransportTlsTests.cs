using System.Net;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Http;
using ContentPS.Engine.Tests.Fixtures;
using ContentPS.TestFixtures;

namespace ContentPS.Engine.Tests.Remotes.Http;

/// <summary>TLS through a fault proxy that speaks HTTPS with a certificate from a throw-away CA, in front of the real registry.</summary>
[Collection(RegistryCollection.Name)]
public sealed class RegistryTransportTlsTests(SharedRegistry shared) : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.Create();

    public void Dispose()
    {
        _authority.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task AnExtraCaFileTrustsTheServer()
    {
        await using var proxy = await StartTlsProxyAsync("127.0.0.1");
        var log = new CollectingLog();

        using var response = await SendAsync(proxy, new RegistryTlsOptions { CaFiles = [WriteCa()] }, log);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
        Assert.Single(proxy.Requests);
        Assert.StartsWith($"GET https://{proxy.Host}/v2/ 200", Assert.Single(log.VerboseLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUntrustedCertificateFailsAtOnceWithoutRetries()
    {
        await using var proxy = await StartTlsProxyAsync("127.0.0.1");
        var log = new CollectingLog();

        var error = await Assert.ThrowsAsync<UnavailableException>(() => SendAsync(proxy, RegistryTlsOptions.Default, log));

        Assert.Equal(ErrorIds.RegistryUnavailable, error.ErrorId);
        Assert.StartsWith($"GET https://{proxy.Host}/v2/: TLS handshake failed", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(after 1 attempt).", error.Message, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);
        Assert.EndsWith("; not retrying", Assert.Single(log.VerboseLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCaDoesNotExcuseAWrongName()
    {
        await using var proxy = await StartTlsProxyAsync("127.0.0.2");

        await Assert.ThrowsAsync<UnavailableException>(() => SendAsync(proxy, new RegistryTlsOptions { CaFiles = [WriteCa()] }, new CollectingLog()));

        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public async Task SkipVerifyAcceptsAnyCertificate()
    {
        await using var proxy = await StartTlsProxyAsync("127.0.0.2");

        using var response = await SendAsync(proxy, new RegistryTlsOptions { SkipVerify = true }, new CollectingLog());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SkipCertificateCheckAcceptsAnyCertificate()
    {
        await using var proxy = await StartTlsProxyAsync("127.0.0.1");

        using var response = await SendAsync(proxy, RegistryTlsOptions.Default, new CollectingLog(), skipCertificateCheck: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AClientCertificateFromPemFilesIsPresented(bool separateKeyFile)
    {
        await using var proxy = await StartTlsProxyAsync("127.0.0.1");
        using var client = _authority.IssueClient($"contentps-client-{separateKeyFile}");
        var certificateFile = _temp.Combine("client.cert");
        var keyFile = _temp.Combine("client.key");
        TestCertificateAuthority.WritePem(client, certificateFile, keyFile);
        if (!separateKeyFile)
        {
            File.AppendAllText(certificateFile, "\n" + File.ReadAllText(keyFile));
        }

        var tls = new RegistryTlsOptions
        {
            CaFiles = [WriteCa()],
            ClientCertificates = [new ClientCertificateFiles(certificateFile, separateKeyFile ? keyFile : null)],
        };
        using var response = await SendAsync(proxy, tls, new CollectingLog());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"CN=contentps-client-{separateKeyFile}", Assert.Single(proxy.Requests).ClientCertificate);
    }

    [Fact]
    public async Task AMissingCaFileIsAnInvalidArgumentUntilItExists()
    {
        await using var proxy = await StartTlsProxyAsync("127.0.0.1");
        var caFile = _temp.Combine("later-ca.pem");
        var tls = new RegistryTlsOptions { CaFiles = [caFile] };

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => SendAsync(proxy, tls, new CollectingLog()));
        Assert.Contains(caFile, error.Message, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);

        File.Copy(WriteCa(), caFile);
        using var response = await SendAsync(proxy, tls, new CollectingLog());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<FaultProxy> StartTlsProxyAsync(string certificateName) =>
        await FaultProxy.StartAsync((await shared.GetAsync()).BaseUri, serverCertificate: _authority.IssueServer(certificateName));

    private string WriteCa()
    {
        var path = _temp.Combine($"ca-{Guid.NewGuid():N}.pem");
        TestCertificateAuthority.WritePem(_authority.Certificate, path);
        return path;
    }

    private static Task<HttpResponseMessage> SendAsync(FaultProxy proxy, RegistryTlsOptions tls, CollectingLog log, bool skipCertificateCheck = false)
    {
        var options = new RegistryClientOptions
        {
            Log = log, SkipCertificateCheck = skipCertificateCheck, RetryInterval = TimeSpan.FromMilliseconds(10), MaximumRetryCount = 2,
        };
        var host = new RegistryHost { Host = proxy.Host, Scheme = "https", RegistryDomain = proxy.Host, Tls = tls };
        return new RegistryTransport(options, authorizer: null).SendAsync(new RegistryRequest { Host = host, Method = HttpMethod.Get }, default);
    }
}
