using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace ContentPS.TestFixtures;

/// <summary>
/// The token server's ES256 key and its self-signed certificate. distribution 2.8 trusts a token
/// whose <c>x5c</c> header chains to a certificate of its <c>rootcertbundle</c>: the bundle holds
/// this certificate and every token carries it as its one-element chain.
/// </summary>
internal sealed class TokenSigningKey : IDisposable
{
    private readonly ECDsa _key;
    private readonly X509Certificate2 _certificate;

    private TokenSigningKey(ECDsa key, X509Certificate2 certificate)
    {
        _key = key;
        _certificate = certificate;
    }

    public static TokenSigningKey Create()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ContentPS test token issuer", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: true));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return new TokenSigningKey(key, certificate);
    }

    /// <summary>The certificate as PEM, the registry's <c>rootcertbundle</c>.</summary>
    public string CertificatePem => _certificate.ExportCertificatePem();

    /// <summary>A compact JWS of <paramref name="claims"/>: <c>header.claims.signature</c>, base64url, ES256 (r‖s).</summary>
    public string Sign(JsonObject claims)
    {
        var header = new JsonObject
        {
            ["typ"] = "JWT",
            ["alg"] = "ES256",
            ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)),
        };
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
