using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Http;

/// <summary>
/// The TLS material of one <see cref="RegistryTlsOptions"/>: extra root certificates trusted on top
/// of the system's (hosts.toml <c>ca</c>), client certificates from PEM files, or no check at all.
/// </summary>
internal sealed class CertificateTrust
{
    private readonly X509Certificate2Collection _extraRoots;
    private readonly bool _skipVerify;

    private CertificateTrust(bool skipVerify, X509Certificate2Collection extraRoots, X509Certificate2Collection clientCertificates)
    {
        _skipVerify = skipVerify;
        _extraRoots = extraRoots;
        ClientCertificates = clientCertificates;
    }

    public X509Certificate2Collection ClientCertificates { get; }

    /// <summary>True when the default system validation is not enough and <see cref="Validate"/> must decide.</summary>
    public bool NeedsCustomValidation => _skipVerify || _extraRoots.Count > 0;

    /// <summary>Loads the files named by <paramref name="tls"/>; unreadable or invalid files throw InvalidArgument.</summary>
    public static CertificateTrust Load(RegistryTlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var roots = new X509Certificate2Collection();
        foreach (var file in tls.CaFiles)
        {
            Read(file, "CA certificate", () => roots.ImportFromPemFile(file));
        }

        var clients = new X509Certificate2Collection();
        foreach (var pair in tls.ClientCertificates)
        {
            Read(pair.CertificateFile, "client certificate", () => clients.Add(LoadClientCertificate(pair)));
        }

        return new CertificateTrust(tls.SkipVerify, roots, clients);
    }

    /// <summary>
    /// Accepts what the system accepts; with SkipVerify anything; with extra roots a chain that
    /// ends in one of them, as long as the name matches.
    /// </summary>
    public bool Validate(X509Certificate? certificate, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None || _skipVerify)
        {
            return true;
        }

        if (certificate is null || _extraRoots.Count == 0 || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(_extraRoots);
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static X509Certificate2 LoadClientCertificate(ClientCertificateFiles files)
    {
        using var pem = X509Certificate2.CreateFromPemFile(files.CertificateFile, files.KeyFile);
        // A key loaded from PEM is ephemeral; SslStream on Windows needs it in a PKCS#12 round trip.
        return new X509Certificate2(pem.Export(X509ContentType.Pkcs12));
    }

    private static void Read(string file, string what, Action read)
    {
        try
        {
            read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw Errors.New(ErrorClass.InvalidArgument, $"The {what} file '{file}' cannot be used: {e.Message}", ErrorIds.InvalidArgument, e, file);
        }
    }
}
