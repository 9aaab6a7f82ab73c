using System.Collections.Concurrent;
using ContentPS.Engine.Diagnostics;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Hosts;
using ContentPS.Engine.Tests.Fixtures;

namespace ContentPS.Engine.Tests.Remotes.Hosts;

/// <summary>A temporary hosts root: writes <c>&lt;root&gt;/&lt;folder&gt;/hosts.toml</c> files and builds configurations over it with a private cache.</summary>
internal sealed class HostsTestRoot : IDisposable
{
    private readonly TempDirectory _temp = new();

    public HostsTestRoot() => Root = Path.Combine(_temp.Path, "certs.d");

    public string Root { get; }

    public HostsFileCache Cache { get; } = new();

    public CollectingLog Log { get; } = new();

    /// <summary>Writes <paramref name="toml"/> as the hosts.toml of <paramref name="folder"/> under <paramref name="root"/> (default <see cref="Root"/>) and returns its path.</summary>
    public string Write(string folder, string toml, string? root = null)
    {
        var directory = Path.Combine(root ?? Root, folder);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, HostsDirectories.FileName);
        File.WriteAllText(path, toml);
        return path;
    }

    /// <summary>Another root beside <see cref="Root"/>.</summary>
    public string OtherRoot(string name) => Path.Combine(_temp.Path, name);

    public HostsConfiguration Configuration(bool skipCertificateCheck = false, params string[] roots) =>
        new(roots.Length == 0 ? [Root] : roots, new RegistryClientOptions { Log = Log, SkipCertificateCheck = skipCertificateCheck }, Cache);

    public void Dispose() => _temp.Dispose();
}

/// <summary>An <see cref="IEngineLog"/> that keeps the warnings it is given.</summary>
internal sealed class CollectingLog : IEngineLog
{
    private readonly ConcurrentQueue<string> _warnings = new();

    public IReadOnlyList<string> Warnings => _warnings.ToArray();

    public bool IsVerboseEnabled => true;

    public bool IsDebugEnabled => true;

    public void Verbose(string message)
    {
    }

    public void Debug(string message)
    {
    }

    public void Warning(string message) => _warnings.Enqueue(message);
}

/// <summary>One line per host, so a table of cases can say what it expects in a readable way.</summary>
internal static class HostSummary
{
    /// <summary>
    /// <c>[mirror] scheme://host/prefix caps=Pull, Resolve [skip] [ca=a,b] [client=cert+key,…] [header=Name:v1|v2;…]</c>,
    /// with <paramref name="folder"/> in paths written as <c>~</c>.
    /// </summary>
    public static string Of(RegistryHost host, string folder)
    {
        var parts = new List<string>();
        if (host.IsMirror) parts.Add("mirror");
        parts.Add($"{host.Scheme}://{host.Host}{host.PathPrefix}");
        parts.Add($"caps={host.Capabilities}");
        if (host.Tls.SkipVerify) parts.Add("skip");
        if (host.Tls.CaFiles.Count > 0) parts.Add("ca=" + string.Join(",", host.Tls.CaFiles.Select(Shorten)));
        if (host.Tls.ClientCertificates.Count > 0)
        {
            parts.Add("client=" + string.Join(",", host.Tls.ClientCertificates.Select(c => Shorten(c.CertificateFile) + (c.KeyFile is null ? "" : "+" + Shorten(c.KeyFile)))));
        }

        if (host.Headers.Count > 0) parts.Add("header=" + string.Join(";", host.Headers.Select(h => $"{h.Key}:{string.Join("|", h.Value)}")));
        return string.Join(" ", parts);

        string Shorten(string path) => path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? "~/" + path[(folder.Length + 1)..] : path;
    }
}
