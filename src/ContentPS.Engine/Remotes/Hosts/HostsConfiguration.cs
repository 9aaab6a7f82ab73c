using System.Collections.Concurrent;
using ContentPS.Engine.Diagnostics;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Hosts;

/// <summary>
/// The hosts of a registry domain from containerd-style <c>&lt;root&gt;/&lt;host&gt;/hosts.toml</c> files
/// (see <see cref="HostsDirectories"/> for the roots and folder names): the <c>[host."…"]</c> mirrors in
/// file order (<see cref="RegistryHost.IsMirror"/>), then the server. A domain no file configures gets
/// <see cref="DefaultRegistryHosts"/>'s host. Files are parsed once per process and again when they change.
/// </summary>
/// <remarks>
/// Plain HTTP is used only where a URL says <c>http://</c> or the host is a loopback host;
/// <see cref="RegistryClientOptions.SkipCertificateCheck"/> turns certificate checks off for every host.
/// A malformed file throws InvalidArgument (<c>InvalidHostsConfiguration</c>) naming the file and line;
/// unknown keys are written once per file version to <see cref="RegistryClientOptions.Log"/> as warnings.
/// </remarks>
public sealed class HostsConfiguration : IRegistryHosts
{
    private readonly HostsFileCache _cache;
    private readonly IEngineLog _log;
    private readonly bool _skipCertificateCheck;
    private readonly ConcurrentDictionary<HostsFile, bool> _warned = new(ReferenceEqualityComparer.Instance);

    /// <summary>A configuration reading the roots in <paramref name="directories"/>, in that order.</summary>
    public HostsConfiguration(IReadOnlyList<string> directories, RegistryClientOptions? options = null)
        : this(directories, options, HostsFileCache.Shared)
    {
    }

    internal HostsConfiguration(IReadOnlyList<string> directories, RegistryClientOptions? options, HostsFileCache cache)
    {
        ArgumentNullException.ThrowIfNull(directories);
        Directories = directories.Select(Path.GetFullPath).ToArray();
        _cache = cache;
        _log = options?.Log ?? NullEngineLog.Instance;
        _skipCertificateCheck = options?.SkipCertificateCheck ?? false;
    }

    /// <summary>The roots searched, in order.</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <summary>The configuration for <paramref name="options"/>: the roots of <see cref="HostsDirectories.Resolve"/>.</summary>
    public static HostsConfiguration Load(RegistryClientOptions options) => new(HostsDirectories.Resolve(options), options);

    /// <summary>The hosts.toml that configures <paramref name="registryDomain"/>, or null when none does.</summary>
    public string? FindFile(string registryDomain) => HostsDirectories.FindHostsFile(Directories, FolderDomain(registryDomain));

    public IReadOnlyList<RegistryHost> GetHosts(string registryDomain)
    {
        var path = FindFile(registryDomain);
        if (path is null)
        {
            return [DefaultRegistryHosts.ForDomain(registryDomain, _skipCertificateCheck)];
        }

        var file = _cache.Get(path);
        if (_warned.TryAdd(file, true))
        {
            foreach (var warning in file.Warnings)
            {
                _log.Warning(warning);
            }
        }

        var hosts = file.ToRegistryHosts(registryDomain, _skipCertificateCheck);
        if (_log.IsDebugEnabled)
        {
            _log.Debug($"hosts for {registryDomain} from {path}: {string.Join(", ", hosts)}");
        }

        return hosts;
    }

    // The domain whose folder is looked for: Docker Hub's folder is docker.io, whatever alias the reference used.
    private static string FolderDomain(string registryDomain)
    {
        ArgumentException.ThrowIfNullOrEmpty(registryDomain);
        if (registryDomain.IndexOfAny(['/', '\\']) >= 0 || registryDomain is "." or ".." || registryDomain.Trim() != registryDomain)
        {
            throw Errors.New(ErrorClass.InvalidArgument, $"\"{registryDomain}\" is not a registry domain", ErrorIds.InvalidReference, target: registryDomain);
        }

        return DefaultRegistryHosts.ForDomain(registryDomain).RegistryDomain;
    }
}
