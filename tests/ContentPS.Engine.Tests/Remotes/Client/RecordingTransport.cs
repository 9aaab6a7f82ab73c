using System.Collections.Concurrent;
using ContentPS.Engine.Remotes;

namespace ContentPS.Engine.Tests.Remotes.Client;

/// <summary>One request the client made: what the test asserts on (method, URL, Range, status, token scope).</summary>
public sealed record RecordedRequest(string Method, Uri Url, string? Range, int? Status, string Scope)
{
    public string PathAndQuery => Url.PathAndQuery;

    public override string ToString() => $"{Method} {PathAndQuery}{(Range is null ? "" : $" [{Range}]")} -> {Status?.ToString() ?? "failed"}";
}

/// <summary>
/// The real transport with a log of the logical requests the client sends through it (the
/// transport's own retries and redirects are not separate entries).
/// </summary>
public sealed class RecordingTransport(IRegistryTransport inner) : IRegistryTransport
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public void Clear() => _requests.Clear();

    public async Task<HttpResponseMessage> SendAsync(RegistryRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await inner.SendAsync(request, cancellationToken);
            _requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri, request.Range?.ToString(), (int)response.StatusCode, request.Scope.ToString()));
            return response;
        }
        catch
        {
            _requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri, request.Range?.ToString(), null, request.Scope.ToString()));
            throw;
        }
    }
}
