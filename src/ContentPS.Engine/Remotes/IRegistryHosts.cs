namespace ContentPS.Engine.Remotes;

/// <summary>Where a registry domain's content is served: its mirrors in order, then the registry itself.</summary>
public interface IRegistryHosts
{
    /// <summary>
    /// The hosts for <paramref name="registryDomain"/> (an <see cref="Oci.ImageReference.Domain"/>, such
    /// as <c>docker.io</c> or <c>127.0.0.1:5000</c>) in the order they are tried. Never empty. Callers
    /// pick the hosts that have the capability they need and fall back to the next on failure.
    /// </summary>
    IReadOnlyList<RegistryHost> GetHosts(string registryDomain);
}
