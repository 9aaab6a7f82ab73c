using ContentPS.Engine.Diagnostics;

namespace ContentPS.Engine.Remotes;

/// <summary>Everything a cmdlet's shared parameters and the environment say about talking to registries.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>An explicit credential (<c>-Credential</c>); used for every host of the call, before any configured one.</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>Where credentials come from when <see cref="Credential"/> is null; null: the Docker/containers configuration files of the user.</summary>
    public ICredentialProvider? CredentialProvider { get; init; }

    /// <summary>Accept any TLS certificate (<c>-SkipCertificateCheck</c>).</summary>
    public bool SkipCertificateCheck { get; init; }

    /// <summary>Retries after the first attempt for a retryable failure (<c>-MaximumRetryCount</c>); 0 turns retries off.</summary>
    public int MaximumRetryCount { get; init; } = 4;

    /// <summary>The first backoff delay; it doubles per attempt with jitter (<c>-RetryIntervalSec</c>).</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one is cut to this.</summary>
    public TimeSpan MaximumRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The folder holding <c>&lt;host&gt;/hosts.toml</c> files; null: the default (see the hosts configuration).</summary>
    public string? HostsDirectory { get; init; }

    /// <summary>Allow fetching foreign (non-distributable) layers from their descriptor <c>urls</c>.</summary>
    public bool AllowForeignUrls { get; init; }

    /// <summary>Connections per host at most.</summary>
    public int MaxConnectionsPerHost { get; init; } = 16;

    /// <summary>Upload blobs at least this large in chunks of this size (PATCH); null: one PUT unless the registry asks for chunks (<c>OCI-Chunk-Min-Length</c>).</summary>
    public long? ChunkSize { get; init; }

    /// <summary>
    /// The longest wait for the response headers of a request without a body (a stalled registry
    /// ends in DeadlineExceeded after the retries); requests that send a body (uploads) are not
    /// limited. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(100);

    public IEngineLog Log { get; init; } = NullEngineLog.Instance;

    public string UserAgent { get; init; } = $"ContentPS/{typeof(RegistryClientOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}";
}
