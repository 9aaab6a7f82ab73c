namespace ContentPS;

// One exception type per class. NotImplemented is named UnimplementedException (gRPC's name for
// code 12) because the BCL type of that name would be ambiguous under implicit usings.

public sealed class UnknownException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.Unknown;
}

public sealed class InvalidArgumentException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.InvalidArgument;
}

public sealed class NotFoundException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.NotFound;
}

public sealed class AlreadyExistsException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.AlreadyExists;
}

public sealed class PermissionDeniedException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.PermissionDenied;
}

public sealed class ResourceExhaustedException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.ResourceExhausted;
}

public sealed class FailedPreconditionException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.FailedPrecondition;
}

public sealed class ConflictException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.Conflict;
}

public sealed class NotModifiedException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.NotModified;
}

public sealed class AbortedException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.Aborted;
}

public sealed class OutOfRangeException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.OutOfRange;
}

public sealed class UnimplementedException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.NotImplemented;
}

public sealed class InternalException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.Internal;
}

public sealed class UnavailableException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.Unavailable;
}

public sealed class DataLossException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.DataLoss;
}

public sealed class UnauthenticatedException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.Unauthenticated;
}

public sealed class CanceledException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.Canceled;
}

public sealed class DeadlineExceededException(string message, string? errorId = null, Exception? innerException = null)
    : ClassifiedException(message, errorId, innerException)
{
    public override ErrorClass Class => ErrorClass.DeadlineExceeded;
}
