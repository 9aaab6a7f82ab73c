namespace ContentPS.Engine.Remotes;

/// <summary>
/// How TLS to one host is checked. Records compare by value, so the transport keeps one pooled
/// handler per distinct set of options (the common case — verified TLS, no client certificate —
/// shares one handler for every host).
/// </summary>
public sealed record RegistryTlsOptions
{
    public static RegistryTlsOptions Default { get; } = new();

    /// <summary>Accept any server certificate (<c>-SkipCertificateCheck</c>, hosts.toml <c>skip_verify</c>).</summary>
    public bool SkipVerify { get; init; }

    /// <summary>PEM files of extra root certificates to trust for this host (hosts.toml <c>ca</c>).</summary>
    public IReadOnlyList<string> CaFiles { get; init; } = [];

    /// <summary>Client certificates (PEM certificate file, PEM key file or null when the certificate file holds both).</summary>
    public IReadOnlyList<ClientCertificateFiles> ClientCertificates { get; init; } = [];

    public bool Equals(RegistryTlsOptions? other) =>
        other is not null
        && SkipVerify == other.SkipVerify
        && CaFiles.SequenceEqual(other.CaFiles, StringComparer.Ordinal)
        && ClientCertificates.SequenceEqual(other.ClientCertificates);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(SkipVerify);
        foreach (var file in CaFiles) hash.Add(file, StringComparer.Ordinal);
        foreach (var pair in ClientCertificates) hash.Add(pair);
        return hash.ToHashCode();
    }
}

/// <summary>One client certificate for mutual TLS: a PEM certificate and its key (null when the certificate file has both).</summary>
public sealed record ClientCertificateFiles(string CertificateFile, string? KeyFile);
