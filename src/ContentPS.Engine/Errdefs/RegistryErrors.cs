using System.Net;
using System.Text;

namespace ContentPS.Engine.Errdefs;

/// <summary>errdefs classes from HTTP statuses and OCI distribution error responses.</summary>
public static partial class RegistryErrors
{
    public static ErrorClass FromHttpStatus(int status, bool methodUnsupported = false) => status switch
    {
        304 => ErrorClass.NotModified,
        400 => ErrorClass.InvalidArgument,
        401 => ErrorClass.Unauthenticated,
        403 => ErrorClass.PermissionDenied,
        404 => ErrorClass.NotFound,
        // 405 only means "not implemented" when the caller knows the registry lacks the operation
        // (deletes disabled, push to a mirror); otherwise it is our own bug, of no known class.
        405 => methodUnsupported ? ErrorClass.NotImplemented : ErrorClass.Unknown,
        408 or 504 => ErrorClass.DeadlineExceeded,
        409 => ErrorClass.Conflict,
        412 => ErrorClass.FailedPrecondition,
        416 => ErrorClass.OutOfRange,
        429 => ErrorClass.ResourceExhausted,
        500 => ErrorClass.Internal,
        501 => ErrorClass.NotImplemented,
        502 or 503 => ErrorClass.Unavailable,
        _ => ErrorClass.Unknown,
    };

    /// <summary>The class for an OCI distribution error code, or null when the code is not in the spec.</summary>
    public static ErrorClass? FromOciCode(string? code) => code?.ToUpperInvariant() switch
    {
        "UNKNOWN" => ErrorClass.Unknown,
        "NAME_INVALID" or "DIGEST_INVALID" or "SIZE_INVALID" or "MANIFEST_INVALID" or "TAG_INVALID"
            or "BLOB_UPLOAD_INVALID" => ErrorClass.InvalidArgument,
        "BLOB_UNKNOWN" or "MANIFEST_UNKNOWN" or "NAME_UNKNOWN" or "BLOB_UPLOAD_UNKNOWN" => ErrorClass.NotFound,
        "DENIED" => ErrorClass.PermissionDenied,
        "TOOMANYREQUESTS" => ErrorClass.ResourceExhausted,
        "MANIFEST_BLOB_UNKNOWN" => ErrorClass.FailedPrecondition,
        "UNSUPPORTED" => ErrorClass.NotImplemented,
        "UNAVAILABLE" => ErrorClass.Unavailable,
        "UNAUTHORIZED" => ErrorClass.Unauthenticated,
        _ => null,
    };

    /// <summary>
    /// The exception for a failed registry response. The first error code with a class other than
    /// Unknown decides the class (UNKNOWN says nothing a 500 does not), else the status does.
    /// </summary>
    /// <param name="notFoundErrorId">
    /// The ErrorId for a NotFound whose body names nothing more specific, such as a HEAD request's
    /// 404 (which has no body): the caller knows whether it asked for a manifest or a blob.
    /// </param>
    public static ClassifiedException FromResponse(
        int status,
        string? contentType,
        string? body,
        string context,
        object? target = null,
        string? notFoundErrorId = null)
    {
        var errors = ParseErrorBody(contentType, body);

        string? decidingCode = null;
        ErrorClass? fromCode = null;
        foreach (var error in errors)
        {
            if (FromOciCode(error.Code) is { } c && c != ErrorClass.Unknown)
            {
                fromCode = c;
                decidingCode = error.Code!.ToUpperInvariant();
                break;
            }
        }
        var errorClass = fromCode ?? FromHttpStatus(status);

        return Errors.New(
            errorClass,
            FormatMessage(status, context, errors),
            ErrorIdFor(errorClass, decidingCode, notFoundErrorId),
            innerException: null,
            target,
            FormatDetails(errors));
    }

    private static string ErrorIdFor(ErrorClass errorClass, string? decidingCode, string? notFoundErrorId) =>
        (errorClass, decidingCode) switch
        {
            (_, "MANIFEST_UNKNOWN") => ErrorIds.ManifestNotFound,
            (_, "BLOB_UNKNOWN") => ErrorIds.BlobNotFound,
            (_, "NAME_UNKNOWN") => ErrorIds.RepositoryNotFound,
            (ErrorClass.NotFound, _) when notFoundErrorId is not null => notFoundErrorId,
            (ErrorClass.ResourceExhausted, _) => ErrorIds.RegistryRateLimited,
            (ErrorClass.Unauthenticated, _) => ErrorIds.RegistryUnauthorized,
            (ErrorClass.PermissionDenied, _) => ErrorIds.RegistryDenied,
            (ErrorClass.Unavailable, _) => ErrorIds.RegistryUnavailable,
            _ => ErrorIds.RegistryError,
        };

    // "{context}: 404 Not Found: MANIFEST_UNKNOWN: manifest unknown; ..."
    private static string FormatMessage(int status, string context, IReadOnlyList<RegistryError> errors)
    {
        var text = new StringBuilder(context).Append(": ").Append(status);
        if (ReasonPhrase(status) is { Length: > 0 } phrase) text.Append(' ').Append(phrase);

        var separator = ": ";
        foreach (var error in errors)
        {
            var code = string.IsNullOrEmpty(error.Code) ? null : error.Code;
            var message = string.IsNullOrEmpty(error.Message) ? null : error.Message;
            if (code is null && message is null) continue;

            text.Append(separator);
            separator = "; ";
            if (code is not null) text.Append(code);
            if (code is not null && message is not null) text.Append(": ");
            if (message is not null) text.Append(message);
        }
        return text.ToString();
    }

    // The registry's own words for ErrorDetails: each message (or code), then its detail JSON.
    private static string? FormatDetails(IReadOnlyList<RegistryError> errors)
    {
        var lines = new List<string>();
        foreach (var error in errors)
        {
            var head = string.IsNullOrEmpty(error.Message) ? error.Code : error.Message;
            var line = string.Join(" ", new[] { head, error.Detail }.Where(s => !string.IsNullOrEmpty(s)));
            if (line.Length > 0) lines.Add(line);
        }
        return lines.Count == 0 ? null : string.Join(Environment.NewLine, lines);
    }

    private static string? ReasonPhrase(int status)
    {
        if (status is < 100 or > 999) return null;
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        return response.ReasonPhrase;
    }
}
