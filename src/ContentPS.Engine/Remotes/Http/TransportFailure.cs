using System.Net.Sockets;
using System.Security.Authentication;
using ContentPS.Engine.Diagnostics;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Http;

/// <summary>A request that got no response: why, in a few words without secrets, and whether sending it again may help.</summary>
internal sealed record TransportFailure(Exception Exception, string Cause, bool IsTimeout, bool IsRetryable)
{
    /// <summary>The failure <paramref name="exception"/> stands for, or null when it is not a transport failure (a bug, a cancellation by the caller).</summary>
    public static TransportFailure? From(Exception exception, bool timedOut, TimeSpan timeout)
    {
        if (timedOut && exception is OperationCanceledException)
        {
            return new TransportFailure(exception, $"no response within {RetryPolicy.Describe(timeout)}", IsTimeout: true, IsRetryable: true);
        }

        // SocketsHttpHandler's own ConnectTimeout ends in a cancellation with a TimeoutException inside.
        if (exception is OperationCanceledException && Find<TimeoutException>(exception) is not null)
        {
            return new TransportFailure(exception, "connection timed out", IsTimeout: true, IsRetryable: true);
        }

        if (exception is not (HttpRequestException or IOException or SocketException))
        {
            return null;
        }

        if (Find<AuthenticationException>(exception) is { } tls)
        {
            return new TransportFailure(exception, $"TLS handshake failed: {tls.Message}", IsTimeout: false, IsRetryable: false);
        }

        if (Find<TimeoutException>(exception) is not null)
        {
            return new TransportFailure(exception, "timed out", IsTimeout: true, IsRetryable: true);
        }

        string cause = Find<SocketException>(exception)?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.ConnectionReset => "connection reset",
            SocketError.ConnectionAborted => "connection aborted",
            SocketError.TimedOut => "connection timed out",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => "host unreachable",
            _ => exception is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } || Find<HttpIOException>(exception) is { HttpRequestError: HttpRequestError.ResponseEnded }
                ? "connection closed before the response ended"
                : Innermost(exception).Message,
        };
        return new TransportFailure(exception, cause, IsTimeout: false, IsRetryable: true);
    }

    /// <summary>The exception thrown after the last attempt: DeadlineExceeded for a timeout, Unavailable otherwise.</summary>
    public Exception ToException(HttpMethod method, Uri url, int attempts)
    {
        string tries = attempts == 1 ? "1 attempt" : $"{attempts} attempts";
        string message = $"{method.Method} {RequestLog.RedactUrl(url)}: {Cause} (after {tries}).";
        return IsTimeout
            ? Errors.New(ErrorClass.DeadlineExceeded, message, ErrorIds.DeadlineExceeded, Exception, url.Authority)
            : Errors.New(ErrorClass.Unavailable, message, ErrorIds.RegistryUnavailable, Exception, url.Authority);
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null) exception = exception.InnerException;
        return exception;
    }
}
