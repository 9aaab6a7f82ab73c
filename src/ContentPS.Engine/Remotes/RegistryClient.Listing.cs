using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes.Client;

namespace ContentPS.Engine.Remotes;

public sealed partial class RegistryClient
{
    /// <summary>The largest tags or referrers page read (a page of 100 000 long tags fits).</summary>
    private const int MaxPageBytes = 16 * 1024 * 1024;

    /// <summary>
    /// The tags of <paramref name="repository"/>, page by page as they arrive: <c>/tags/list</c>
    /// with <c>n=<paramref name="pageSize"/></c> when given, then each <c>Link: &lt;…&gt;; rel="next"</c>
    /// (relative or absolute) on the same host until a page has none. 404: RepositoryNotFound.
    /// </summary>
    /// <remarks>distribution 2.8 ignores <c>n</c> for tags and answers with one page.</remarks>
    public async IAsyncEnumerable<string> ListTagsAsync(ImageReference repository, int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RequireRepository(repository);
        if (pageSize is <= 0)
        {
            throw Errors.New(ErrorClass.InvalidArgument, $"the page size must be positive, not {pageSize}", ErrorIds.InvalidArgument);
        }

        var target = repository.FullName;
        RegistryRequest Request(RegistryHost host, Uri? url) => new()
        {
            Host = host,
            Method = HttpMethod.Get,
            Path = RepositoryPaths.Tags(repository),
            Query = pageSize is { } n ? $"n={n}" : null,
            Url = url,
            Scope = AuthScope.Pull(repository.Path),
        };

        await foreach (var tag in FollowPagesAsync(repository.Domain, HostCapabilities.Resolve,
            host => ReadTagsPageAsync(host, Request(host, null), target, cancellationToken),
            (host, next) => ReadTagsPageAsync(host, Request(host, next), target, cancellationToken),
            $"list the tags of {target}", target, cancellationToken).ConfigureAwait(false))
        {
            yield return tag;
        }
    }

    /// <summary>
    /// The manifests that name <paramref name="subject"/> as their subject (<c>/referrers/&lt;digest&gt;</c>),
    /// only those of <paramref name="artifactType"/> when given: the registry filters when it says so
    /// (<c>OCI-Filters-Applied: artifactType</c>), else this does. A registry without the referrers
    /// API (404, as distribution 2.8) is asked through the tag schema instead: the index tagged
    /// <c>&lt;alg&gt;-&lt;hex&gt;</c>, none when that tag does not exist.
    /// </summary>
    public async IAsyncEnumerable<Descriptor> ListReferrersAsync(ImageReference repository, Digest subject, string? artifactType = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RequireRepository(repository);
        ArgumentNullException.ThrowIfNull(subject);
        var target = RepositoryPaths.Target(repository, subject);
        await foreach (var referrer in FollowPagesAsync(repository.Domain, HostCapabilities.Resolve,
            host => ReferrersOnHostAsync(host, repository, subject, artifactType, target, cancellationToken),
            async (host, next) => await ReadReferrersPageAsync(host, new RegistryRequest
                {
                    Host = host,
                    Method = HttpMethod.Get,
                    Url = next,
                    Scope = AuthScope.Pull(repository.Path),
                    Accept = [MediaTypes.OciIndex],
                }, artifactType, target, cancellationToken).ConfigureAwait(false)
                ?? throw RegistryProtocol.Violation($"list the referrers of {target}: the next page ({next}) is missing", target),
            $"list the referrers of {target}", target, cancellationToken).ConfigureAwait(false))
        {
            yield return referrer;
        }
    }

    private sealed record Page<T>(RegistryHost Host, IReadOnlyList<T> Items, Uri? Next);

    /// <summary>The first page from the first host that answers (with host fallback), then each <c>rel="next"</c> page on that host.</summary>
    private async IAsyncEnumerable<T> FollowPagesAsync<T>(string registryDomain, HostCapabilities capability, Func<RegistryHost, Task<Page<T>>> first,
        Func<RegistryHost, Uri, Task<Page<T>>> next, string context, string target, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = await _hosts.RunAsync(registryDomain, capability, first, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<Uri>();
        while (true)
        {
            foreach (var item in page.Items)
            {
                yield return item;
            }

            if (page.Next is not { } link)
            {
                yield break;
            }

            if (!seen.Add(link))
            {
                throw RegistryProtocol.Violation($"{context}: the registry links back to a page already read ({link})", target);
            }

            page = await next(page.Host, link).ConfigureAwait(false);
        }
    }

    private async Task<Page<string>> ReadTagsPageAsync(RegistryHost host, RegistryRequest request, string target, CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await RegistryResponses.ThrowForStatusAsync(response, $"list the tags of {target}", target, ErrorIds.RepositoryNotFound, cancellationToken)
            .ConfigureAwait(false);
        var body = await ReadPageBodyAsync(response, target, cancellationToken).ConfigureAwait(false);
        return new Page<string>(host, TagsOf(body, target), NextPage(response, request));
    }

    private async Task<Page<Descriptor>> ReferrersOnHostAsync(RegistryHost host, ImageReference repository, Digest subject, string? artifactType,
        string target, CancellationToken cancellationToken)
    {
        var request = new RegistryRequest
        {
            Host = host,
            Method = HttpMethod.Get,
            Path = RepositoryPaths.Referrers(repository, subject),
            Query = artifactType is null ? null : "artifactType=" + Uri.EscapeDataString(artifactType),
            Scope = AuthScope.Pull(repository.Path),
            Accept = [MediaTypes.OciIndex],
            ExpectedStatuses = [(int)HttpStatusCode.NotFound],
        };
        if (await ReadReferrersPageAsync(host, request, artifactType, target, cancellationToken).ConfigureAwait(false) is { } page)
        {
            return page;
        }

        var tag = ReferrersTag.For(subject);
        Options.Log.Verbose($"{target}: {host} has no referrers API; reading the tag {tag} instead");
        Descriptor indexDescriptor;
        try
        {
            indexDescriptor = await ResolveOnHostAsync(host, repository, tag, expected: null, RepositoryPaths.Target(repository, tag), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ClassifiedException e) when (IsMissing(e))
        {
            return new Page<Descriptor>(host, [], null);
        }

        var fetched = await FetchManifestOnHostAsync(host, repository, indexDescriptor, RepositoryPaths.Target(repository, tag), cancellationToken)
            .ConfigureAwait(false);
        var index = ManifestParser.ParseIndex(fetched.Body, indexDescriptor.MediaType, RepositoryPaths.Target(repository, tag));
        return new Page<Descriptor>(host, Filter(index.Manifests, artifactType), null);
    }

    // One page of the referrers API; null when the registry does not have the API (404).
    private async Task<Page<Descriptor>?> ReadReferrersPageAsync(RegistryHost host, RegistryRequest request, string? artifactType, string target,
        CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await RegistryResponses.ThrowForStatusAsync(response, $"list the referrers of {target}", target, ErrorIds.ManifestNotFound, cancellationToken)
            .ConfigureAwait(false);
        var body = await ReadPageBodyAsync(response, target, cancellationToken).ConfigureAwait(false);
        var index = ManifestParser.ParseIndex(body, MediaTypes.OciIndex, target);
        var filtered = response.Headers.TryGetValues(RegistryProtocol.FiltersAppliedHeader, out var applied)
            && applied.SelectMany(v => v.Split(',')).Any(v => v.Trim().Equals("artifactType", StringComparison.Ordinal));
        return new Page<Descriptor>(host, filtered ? index.Manifests : Filter(index.Manifests, artifactType), NextPage(response, request));
    }

    private static IReadOnlyList<Descriptor> Filter(IReadOnlyList<Descriptor> referrers, string? artifactType) =>
        artifactType is null ? referrers : referrers.Where(d => string.Equals(d.ArtifactType, artifactType, StringComparison.Ordinal)).ToList();

    private static Uri? NextPage(HttpResponseMessage response, RegistryRequest request) =>
        response.Headers.TryGetValues("Link", out var links)
            ? LinkHeader.FindNext(links, response.RequestMessage?.RequestUri ?? request.RequestUri)
            : null;

    private static async Task<byte[]> ReadPageBodyAsync(HttpResponseMessage response, string target, CancellationToken cancellationToken)
    {
        if (RegistryProtocol.ContentLength(response) > MaxPageBytes)
        {
            throw Errors.New(ErrorClass.ResourceExhausted, $"{target}: the registry's page is larger than {MaxPageBytes} bytes", ErrorIds.ResourceExhausted,
                target: target);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > MaxPageBytes)
                {
                    throw Errors.New(ErrorClass.ResourceExhausted, $"{target}: the registry's page is larger than {MaxPageBytes} bytes",
                        ErrorIds.ResourceExhausted, target: target);
                }

                body.Write(buffer, 0, read);
            }

            return body.ToArray();
        }
    }

    // {"name": "...", "tags": ["a", "b"]}; "tags" may be null or missing for an empty repository.
    private static IReadOnlyList<string> TagsOf(byte[] body, string target)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw RegistryProtocol.Violation($"list the tags of {target}: the answer is not a JSON object", target);
            }

            if (!document.RootElement.TryGetProperty("tags", out var tags) || tags.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (tags.ValueKind != JsonValueKind.Array)
            {
                throw RegistryProtocol.Violation($"list the tags of {target}: \"tags\" is not an array", target);
            }

            var result = new List<string>(tags.GetArrayLength());
            foreach (var tag in tags.EnumerateArray())
            {
                result.Add(tag.ValueKind == JsonValueKind.String
                    ? tag.GetString()!
                    : throw RegistryProtocol.Violation($"list the tags of {target}: a tag is not a string", target));
            }

            return result;
        }
        catch (JsonException e)
        {
            throw Errors.New(ErrorClass.Unknown, $"list the tags of {target}: the answer is not JSON: {e.Message}", ErrorIds.RegistryError, e, target);
        }
    }
}
