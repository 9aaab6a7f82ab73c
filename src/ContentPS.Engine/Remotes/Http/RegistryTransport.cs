using System.Diagnostics;
using ContentPS.Engine.Diagnostics;

namespace ContentPS.Engine.Remotes.Http;

/// <summary>
/// The <see cref="IRegistryTransport"/> of the engine: pooled handlers per TLS options
/// (<see cref="HttpHandlerPool"/>), credentials and challenges through the authorizer, manual
/// redirects that keep <c>Authorization</c> on its host (<see cref="RedirectFollower"/>), retries
/// with backoff, <c>Retry-After</c> and per-host quiet periods (<see cref="RetryPolicy"/>,
/// <see cref="HostBackoff"/>), registry warnings (<see cref="WarningHeaders"/>), and one request
/// log line per attempt with its retry decision.
/// </summary>
public sealed class RegistryTransport : IRegistryTransport
{
    private readonly IRegistryAuthorizer? _authorizer;
    private readonly RegistryClientOptions _options;
    private readonly RetryPolicy _retries;
    private readonly WarningHeaders _warnings;

    public RegistryTransport(RegistryClientOptions options, IRegistryAuthorizer? authorizer)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _authorizer = authorizer;
        _retries = new RetryPolicy(options);
        _warnings = new WarningHeaders(options.Log);
    }

    public async Task<HttpResponseMessage> SendAsync(RegistryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var messages = new RequestMessageFactory(request, _options, _authorizer);
        bool challenged = false;
        int attempt = 1;
        while (true)
        {
            var follower = new RedirectFollower(request, messages, _options);
            var (response, failure) = await SendOnceAsync(request, follower, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(follower.Started);
            if (failure is not null)
            {
                var decision = _retries.ForTransportFailure(request, attempt, failure.IsRetryable);
                _options.Log.Request(follower.Method.Method, follower.Url, null, elapsed, failure.Cause, decision.Text);
                if (!decision.Retry)
                {
                    throw failure.ToException(follower.Method, follower.Url, attempt);
                }

                await Task.Delay(decision.Delay, cancellationToken).ConfigureAwait(false);
                attempt++;
                continue;
            }

            int status = (int)response!.StatusCode;
            _warnings.Report(response, follower.Url);
            if (!challenged && await AnswersChallengeAsync(request, response, cancellationToken).ConfigureAwait(false))
            {
                _options.Log.Request(follower.Method.Method, follower.Url, status, elapsed, retry: "challenge answered, sending again");
                challenged = true;
                response.Dispose();
                continue; // answering a challenge is not a retry: same attempt number
            }

            var outcome = _retries.ForStatus(request, attempt, status, response.Headers.RetryAfter);
            if (status is 429 or 503 && _retries.RetryAfterDelay(response.Headers.RetryAfter, DateTimeOffset.UtcNow) is { } quiet)
            {
                HostBackoff.Record(follower.Url.Authority, quiet);
            }

            _options.Log.Request(follower.Method.Method, follower.Url, status, elapsed, retry: outcome.Text);
            if (!outcome.Retry)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(outcome.Delay, cancellationToken).ConfigureAwait(false);
            attempt++;
        }
    }

    /// <summary>True when <paramref name="response"/> is a challenge the authorizer learned from, so sending again may succeed.</summary>
    private async Task<bool> AnswersChallengeAsync(RegistryRequest request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (_authorizer is null || request.ExpectedStatuses.Contains((int)response.StatusCode) || !AuthChallenge.IsChallenge(response))
        {
            return false;
        }

        try
        {
            return await _authorizer.HandleChallengeAsync(request.Host, request.Scope, response, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>One attempt: the response, or the transport failure that stopped it. Caller cancellation and bugs propagate.</summary>
    private async Task<(HttpResponseMessage? Response, TransportFailure? Failure)> SendOnceAsync(RegistryRequest request, RedirectFollower follower,
        CancellationToken cancellationToken)
    {
        // A request with a body (an upload) may take as long as its bytes take; others must answer in time.
        var timeout = request.Content is null ? _options.ResponseTimeout : Timeout.InfiniteTimeSpan;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            deadline.CancelAfter(timeout);
        }

        try
        {
            return (await follower.SendAsync(deadline.Token).ConfigureAwait(false), null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
                                  && TransportFailure.From(e, deadline.IsCancellationRequested, timeout) is { } failure)
        {
            return (null, failure);
        }
    }
}
