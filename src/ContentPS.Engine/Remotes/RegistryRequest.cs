using System.Net.Http.Headers;

namespace ContentPS.Engine.Remotes;

/// <summary>One logical request to a registry host; the transport may send it several times (auth, retries, redirects).</summary>
public sealed class RegistryRequest
{
    public required RegistryHost Host { get; init; }

    public required HttpMethod Method { get; init; }

    /// <summary>The API path below the host's prefix (<c>library/ubuntu/manifests/latest</c>); ignored when <see cref="Url"/> is set.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>The escaped query without <c>?</c>, appended to <see cref="Path"/>.</summary>
    public string? Query { get; init; }

    /// <summary>An absolute URL to use instead of <see cref="Path"/> (an upload session's <c>Location</c>, a foreign layer URL).</summary>
    public Uri? Url { get; init; }

    /// <summary>The scopes a token for this request needs.</summary>
    public AuthScope Scope { get; init; } = AuthScope.None;

    /// <summary>Media types for <c>Accept</c>, most preferred first.</summary>
    public IReadOnlyList<string> Accept { get; init; } = [];

    /// <summary>A <c>Range</c> header (resumed downloads).</summary>
    public RangeHeaderValue? Range { get; init; }

    /// <summary>Extra headers for this request.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Makes a fresh body for each attempt (null: no body). A factory, because a retried or
    /// re-authenticated request needs its body again.
    /// </summary>
    public Func<HttpContent>? Content { get; init; }

    /// <summary>
    /// True when sending the request twice does no harm (GET, HEAD, PUT of a manifest, DELETE):
    /// only these are retried after a transport error or a retryable status. Defaults to true for
    /// GET/HEAD/PUT/DELETE and false for POST/PATCH.
    /// </summary>
    public bool? Idempotent { get; init; }

    /// <summary>Follow 3xx redirects (blob downloads). <c>Authorization</c> never goes to another host.</summary>
    public bool FollowRedirects { get; init; } = true;

    /// <summary>Statuses the caller expects as normal answers and that must not be retried or treated as failures by the transport (e.g. 404 for an existence check).</summary>
    public IReadOnlyCollection<int> ExpectedStatuses { get; init; } = [];

    public bool IsIdempotent => Idempotent ?? (Method == HttpMethod.Get || Method == HttpMethod.Head || Method == HttpMethod.Put || Method == HttpMethod.Delete);

    /// <summary>The URL of the first attempt.</summary>
    public Uri RequestUri => Url ?? Host.Url(Path, Query);
}
