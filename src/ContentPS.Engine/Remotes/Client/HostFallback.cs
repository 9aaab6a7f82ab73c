using ContentPS.Engine.Diagnostics;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Client;

/// <summary>
/// Runs one operation on the hosts of a registry that have the capability it needs, in the
/// configured order (mirrors first, the registry last), moving on to the next host when one fails
/// in a way another host may not. When every host fails, the last host's error is thrown: that is
/// the registry's own answer whenever the registry is configured, which is the one to report.
/// </summary>
internal sealed class HostFallback(IRegistryHosts hosts, IEngineLog log)
{
    /// <summary>The hosts of <paramref name="registryDomain"/> that can <paramref name="capability"/>; NotFound when none can (like containerd's "no resolve hosts").</summary>
    public IReadOnlyList<RegistryHost> HostsFor(string registryDomain, HostCapabilities capability)
    {
        if (string.IsNullOrEmpty(registryDomain))
        {
            throw Errors.New(ErrorClass.InvalidArgument, "the repository has no registry domain", ErrorIds.InvalidReference);
        }

        var able = hosts.GetHosts(registryDomain).Where(h => h.Can(capability)).ToList();
        if (able.Count == 0)
        {
            throw Errors.New(ErrorClass.NotFound,
                $"no host of {registryDomain} is configured with the capability {capability.ToString().ToLowerInvariant()}",
                ErrorIds.NotFound, target: registryDomain);
        }

        return able;
    }

    public async Task<T> RunAsync<T>(string registryDomain, HostCapabilities capability,
        Func<RegistryHost, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var candidates = HostsFor(registryDomain, capability);
        for (int i = 0; ; i++)
        {
            var host = candidates[i];
            try
            {
                return await attempt(host).ConfigureAwait(false);
            }
            catch (Exception e) when (i < candidates.Count - 1 && ShouldTryNextHost(e, host, cancellationToken))
            {
                log.Verbose($"{host}: {e.Message}; trying {candidates[i + 1]}");
            }
        }
    }

    /// <summary>
    /// A mirror is only a faster copy: whatever fails there (unreachable, 5xx, 404 because it
    /// lacks the content, 401/403 because it wants other credentials, bytes that do not verify),
    /// the next host may still serve. The registry itself (any host not marked as a mirror) moves
    /// on only when the host failed, not when it answered about the content: a transport failure
    /// after the transport's retries (Unavailable, DeadlineExceeded) or a 500/502/503/504
    /// (Internal, Unavailable, DeadlineExceeded). Cancellation never moves on.
    /// </summary>
    internal static bool ShouldTryNextHost(Exception exception, RegistryHost host, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || exception is OperationCanceledException)
        {
            return false;
        }

        var errorClass = Errors.Resolve(exception);
        if (errorClass == ErrorClass.Canceled)
        {
            return false;
        }

        return host.IsMirror
            || errorClass is ErrorClass.Unavailable or ErrorClass.DeadlineExceeded or ErrorClass.Internal;
    }
}
