namespace ContentPS.Engine.Errdefs;

/// <summary>
/// errdefs classes to and from PowerShell's <c>ErrorCategory</c>, by member name so the engine
/// needs no PowerShell reference (the cmdlets parse the name with <c>Enum.Parse</c>).
/// </summary>
public static class ErrorCategoryMap
{
    public static string ToCategoryName(ErrorClass errorClass) => errorClass switch
    {
        ErrorClass.Unknown => "NotSpecified",
        ErrorClass.InvalidArgument => "InvalidArgument",
        ErrorClass.NotFound => "ObjectNotFound",
        ErrorClass.AlreadyExists => "ResourceExists",
        ErrorClass.PermissionDenied => "PermissionDenied",
        ErrorClass.ResourceExhausted => "LimitsExceeded",
        ErrorClass.FailedPrecondition => "InvalidOperation",
        ErrorClass.Conflict => "ResourceBusy",
        ErrorClass.NotModified => "InvalidResult",
        ErrorClass.Aborted => "DeadlockDetected",
        ErrorClass.OutOfRange => "InvalidArgument",
        ErrorClass.NotImplemented => "NotImplemented",
        ErrorClass.Internal => "InvalidResult",
        ErrorClass.Unavailable => "ResourceUnavailable",
        ErrorClass.DataLoss => "InvalidData",
        ErrorClass.Unauthenticated => "AuthenticationError",
        ErrorClass.Canceled => "OperationStopped",
        ErrorClass.DeadlineExceeded => "OperationTimeout",
        _ => throw new ArgumentOutOfRangeException(nameof(errorClass), errorClass, "Not an errdefs class."),
    };

    /// <summary>
    /// The class for a category name. A category shared by several classes gives the most
    /// general one (InvalidArgument, InvalidResult → Internal); names not in the table give Unknown.
    /// </summary>
    public static ErrorClass FromCategoryName(string? categoryName) => categoryName switch
    {
        "NotSpecified" => ErrorClass.Unknown,
        "InvalidArgument" => ErrorClass.InvalidArgument,
        "ObjectNotFound" => ErrorClass.NotFound,
        "ResourceExists" => ErrorClass.AlreadyExists,
        "PermissionDenied" => ErrorClass.PermissionDenied,
        "LimitsExceeded" => ErrorClass.ResourceExhausted,
        "InvalidOperation" => ErrorClass.FailedPrecondition,
        "ResourceBusy" => ErrorClass.Conflict,
        "InvalidResult" => ErrorClass.Internal,
        "DeadlockDetected" => ErrorClass.Aborted,
        "NotImplemented" => ErrorClass.NotImplemented,
        "ResourceUnavailable" => ErrorClass.Unavailable,
        "InvalidData" => ErrorClass.DataLoss,
        "AuthenticationError" => ErrorClass.Unauthenticated,
        "OperationStopped" => ErrorClass.Canceled,
        "OperationTimeout" => ErrorClass.DeadlineExceeded,
        _ => ErrorClass.Unknown,
    };

    private static readonly Dictionary<string, ErrorClass> ClassByTypeName =
        Enum.GetValues<ErrorClass>().ToDictionary(c => Errors.New(c, "").GetType().Name, StringComparer.Ordinal);

    /// <summary>
    /// The class named by <c>CategoryInfo.Reason</c> (the exception's short type name, such as
    /// "NotFoundException"), or null when the type is not one of ours.
    /// </summary>
    public static ErrorClass? FromExceptionTypeName(string? reason) =>
        reason is not null && ClassByTypeName.TryGetValue(reason, out var errorClass) ? errorClass : null;

    /// <summary>
    /// The class of a (possibly deserialized) ErrorRecord: its Reason first, then its ErrorId,
    /// and the category only as the last resort because several classes share one.
    /// </summary>
    public static ErrorClass FromErrorRecord(string? reason, string? fullyQualifiedErrorId, string? categoryName) =>
        FromExceptionTypeName(reason)
        ?? (fullyQualifiedErrorId is null ? null : ErrorIds.ClassOf(fullyQualifiedErrorId))
        ?? FromCategoryName(categoryName);
}
