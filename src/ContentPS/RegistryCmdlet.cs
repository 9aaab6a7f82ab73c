using System.Management.Automation;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;

namespace ContentPS;

/// <summary>
/// Base of the cmdlets that talk to registries: the shared parameters <c>-Credential</c>,
/// <c>-SkipCertificateCheck</c>, <c>-MaximumRetryCount</c> and <c>-RetryIntervalSec</c>, and one
/// <see cref="RegistryClient"/> per call built from them (<see cref="Client"/>), whose request log
/// goes to <c>-Verbose</c>/<c>-Debug</c>.
/// </summary>
public abstract class RegistryCmdlet : ContentPSCmdlet
{
    private RegistryClient? _client;

    /// <summary>The user name and password (or token) for the registry; default: the Docker/containers configuration of the user.</summary>
    [Parameter]
    [Credential]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    /// <summary>Accepts any TLS certificate of the registry.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Retries of a request that failed for a reason that may pass (408, 429, 5xx, dropped connection); 0 turns retries off.</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int MaximumRetryCount { get; set; } = new RegistryClientOptions().MaximumRetryCount;

    /// <summary>The first wait before a retry, in seconds; it doubles per attempt (with jitter) unless the registry says how long to wait.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int RetryIntervalSec { get; set; } = (int)new RegistryClientOptions().RetryInterval.TotalSeconds;

    /// <summary>The registry client of this call (created on first use, from the shared parameters).</summary>
    protected RegistryClient Client => _client ??= CreateClient();

    /// <summary>A registry client configured by the shared parameters; its log is this call's <see cref="ContentPSCmdlet.EngineLog"/>.</summary>
    protected RegistryClient CreateClient() => new(new RegistryClientOptions
    {
        // The only place the password leaves its SecureString.
        Credential = Credential is { } credential
            ? new RegistryCredential(credential.UserName, credential.GetNetworkCredential().Password)
            : null,
        SkipCertificateCheck = SkipCertificateCheck,
        MaximumRetryCount = MaximumRetryCount,
        RetryInterval = TimeSpan.FromSeconds(RetryIntervalSec),
        Log = EngineLog,
        AllowForeignUrls = AllowForeignUrls,
    });

    /// <summary>Whether the client may fetch non-distributable layers from the URLs their descriptors list.</summary>
    protected virtual bool AllowForeignUrls => false;

    /// <summary>
    /// Parses a reference argument (adding <c>:latest</c> when it has neither tag nor digest);
    /// null, after a non-terminating <c>InvalidReference</c> error for it, when it does not parse.
    /// </summary>
    protected ImageReference? ParseReferenceOrWriteError(string? text)
    {
        try
        {
            return ImageReference.Parse(text ?? "").WithDefaultTag();
        }
        catch (ClassifiedException ex)
        {
            WriteError(ex, text);
            return null;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> for one input item; a classified failure (registry error,
    /// bad input) becomes that item's non-terminating error with <paramref name="target"/>, and the
    /// call goes on with the next item.
    /// </summary>
    protected async Task ForItemAsync(string target, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
        {
            WriteError(ex, target);
        }
    }
}
