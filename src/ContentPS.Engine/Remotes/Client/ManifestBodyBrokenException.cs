using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Client;

/// <summary>
/// The connection broke while a manifest body was read, after the headers had arrived (so after the
/// transport's own retries). Unavailable: the whole GET is worth sending again.
/// </summary>
internal sealed class ManifestBodyBrokenException(string target, Exception cause)
    : Exception($"{target}: the registry closed the connection while sending the manifest ({cause.Message})", cause)
{
    public string Target { get; } = target;

    public UnavailableException ToUnavailable(int attempts) =>
        new($"{Message}; gave up after {attempts} attempt(s)", ErrorIds.RegistryUnavailable, InnerException) { Target = Target };
}
