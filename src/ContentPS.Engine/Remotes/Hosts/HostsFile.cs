namespace ContentPS.Engine.Remotes.Hosts;

/// <summary>A parsed hosts.toml: its mirrors in file order, then the server.</summary>
/// <param name="Path">The file.</param>
/// <param name="Mirrors">The <c>[host."…"]</c> entries in the order the file lists them.</param>
/// <param name="Server">The root keys: <c>server</c> (or the registry's own host) and its settings.</param>
/// <param name="Warnings">What was ignored (unknown keys), one message each.</param>
internal sealed record HostsFile(string Path, IReadOnlyList<HostsFileEntry> Mirrors, HostsFileEntry Server, IReadOnlyList<string> Warnings)
{
    /// <summary>The hosts for <paramref name="registryDomain"/>: the mirrors, then the server last.</summary>
    public IReadOnlyList<RegistryHost> ToRegistryHosts(string registryDomain, bool skipCertificateCheck)
    {
        var hosts = new List<RegistryHost>(Mirrors.Count + 1);
        hosts.AddRange(Mirrors.Select(m => m.ToRegistryHost(registryDomain, isMirror: true, skipCertificateCheck)));
        hosts.Add(Server.ToRegistryHost(registryDomain, isMirror: false, skipCertificateCheck));
        return hosts;
    }
}
