namespace ContentPS;

/// <summary>The errdefs classes: every failure the engine raises carries exactly one.</summary>
public enum ErrorClass
{
    Unknown = 0,
    InvalidArgument,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    ResourceExhausted,
    FailedPrecondition,
    Conflict,
    NotModified,
    Aborted,
    OutOfRange,
    NotImplemented,
    Internal,
    Unavailable,
    DataLoss,
    Unauthenticated,
    Canceled,
    DeadlineExceeded,
}
