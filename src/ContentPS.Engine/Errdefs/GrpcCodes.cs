namespace ContentPS.Engine.Errdefs;

/// <summary>
/// errdefs classes to and from gRPC status codes. gRPC has no codes for Conflict and NotModified,
/// so, as containerd does, they travel as FailedPrecondition with a message suffix.
/// </summary>
public static class GrpcCodes
{
    private const string ConflictSuffix = "conflict";
    private const string NotModifiedSuffix = "not modified";

    public static int ToCode(ErrorClass errorClass) => errorClass switch
    {
        ErrorClass.Canceled => 1,
        ErrorClass.Unknown => 2,
        ErrorClass.InvalidArgument => 3,
        ErrorClass.DeadlineExceeded => 4,
        ErrorClass.NotFound => 5,
        ErrorClass.AlreadyExists => 6,
        ErrorClass.PermissionDenied => 7,
        ErrorClass.ResourceExhausted => 8,
        ErrorClass.FailedPrecondition or ErrorClass.Conflict or ErrorClass.NotModified => 9,
        ErrorClass.Aborted => 10,
        ErrorClass.OutOfRange => 11,
        ErrorClass.NotImplemented => 12,
        ErrorClass.Internal => 13,
        ErrorClass.Unavailable => 14,
        ErrorClass.DataLoss => 15,
        ErrorClass.Unauthenticated => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(errorClass), errorClass, "Not an errdefs class."),
    };

    /// <summary>
    /// The status message for a class: ": conflict" or ": not modified" appended for Conflict and
    /// NotModified (always, so <see cref="FromStatus"/> gets the original message back exactly).
    /// </summary>
    public static string ToMessage(ErrorClass errorClass, string message) => errorClass switch
    {
        ErrorClass.Conflict => WithSuffix(message, ConflictSuffix),
        ErrorClass.NotModified => WithSuffix(message, NotModifiedSuffix),
        _ => message,
    };

    /// <summary>The class for a gRPC status. Code 0 (OK) is not an error and is rejected.</summary>
    public static ErrorClass FromCode(int code, string? message) => code switch
    {
        0 => throw new ArgumentOutOfRangeException(nameof(code), code, "gRPC code 0 (OK) is not an error."),
        1 => ErrorClass.Canceled,
        3 => ErrorClass.InvalidArgument,
        4 => ErrorClass.DeadlineExceeded,
        5 => ErrorClass.NotFound,
        6 => ErrorClass.AlreadyExists,
        7 => ErrorClass.PermissionDenied,
        8 => ErrorClass.ResourceExhausted,
        9 when HasSuffix(message, ConflictSuffix) => ErrorClass.Conflict,
        9 when HasSuffix(message, NotModifiedSuffix) => ErrorClass.NotModified,
        9 => ErrorClass.FailedPrecondition,
        10 => ErrorClass.Aborted,
        11 => ErrorClass.OutOfRange,
        12 => ErrorClass.NotImplemented,
        13 => ErrorClass.Internal,
        14 => ErrorClass.Unavailable,
        15 => ErrorClass.DataLoss,
        16 => ErrorClass.Unauthenticated,
        _ => ErrorClass.Unknown,
    };

    /// <summary>
    /// The exception for a gRPC status, its message without the class suffix that
    /// <see cref="ToMessage"/> added, so a class and message make the round trip unchanged.
    /// </summary>
    public static ClassifiedException FromStatus(int code, string? message, string? errorId = null)
    {
        var errorClass = FromCode(code, message);
        var text = message ?? "";
        var suffix = errorClass switch
        {
            ErrorClass.Conflict => ConflictSuffix,
            ErrorClass.NotModified => NotModifiedSuffix,
            _ => null,
        };
        if (suffix is not null)
            text = text == suffix ? "" : text[..^(suffix.Length + 2)];
        return Errors.New(errorClass, text, errorId);
    }

    // An empty message becomes the bare suffix, as containerd's unwrapped class error reads.
    private static string WithSuffix(string message, string suffix) =>
        message.Length == 0 ? suffix : $"{message}: {suffix}";

    private static bool HasSuffix(string? message, string suffix) =>
        message is not null && (message == suffix || message.EndsWith(": " + suffix, StringComparison.Ordinal));
}
