namespace ContentPS.Engine.Remotes;

/// <summary>
/// Sends registry requests: pooled connections, TLS per host, authorization with challenge
/// handling, retries with backoff (per host, honouring <c>Retry-After</c>), redirects that never
/// carry <c>Authorization</c> to another host, one verbose line per attempt, <c>Warning</c>
/// headers as warnings.
/// </summary>
public interface IRegistryTransport
{
    /// <summary>
    /// Sends <paramref name="request"/> and returns the final response as soon as its headers are
    /// read (the body is not buffered; the caller disposes the response). Any status may come
    /// back, success or not: the caller turns a failure into an exception with
    /// <see cref="RegistryResponses.ThrowForStatusAsync"/>, which knows what was asked for.
    /// Transport failures after the last retry throw Unavailable/DeadlineExceeded exceptions;
    /// cancellation throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<HttpResponseMessage> SendAsync(RegistryRequest request, CancellationToken cancellationToken);
}
