namespace ContentPS.Engine.Errdefs;

/// <summary>Resolving, creating, wrapping and testing errdefs classes on any exception.</summary>
public static class Errors
{
    /// <summary>
    /// The class an exception carries: the outermost <see cref="ClassifiedException"/> in its
    /// chain (inner exceptions and aggregates, depth-first) wins; only when there is none do
    /// well-known system exceptions decide; anything else is <see cref="ErrorClass.Unknown"/>.
    /// </summary>
    public static ErrorClass Resolve(Exception? exception) =>
        ExceptionChain.FindClassified(exception)?.Class
        ?? SystemExceptionMap.Find(exception)
        ?? ErrorClass.Unknown;

    public static bool Is(Exception? exception, ErrorClass errorClass) => Resolve(exception) == errorClass;

    public static bool IsNotFound(Exception? exception) => Is(exception, ErrorClass.NotFound);

    public static bool IsAlreadyExists(Exception? exception) => Is(exception, ErrorClass.AlreadyExists);

    public static bool IsUnavailable(Exception? exception) => Is(exception, ErrorClass.Unavailable);

    /// <summary>A new exception of the concrete type for <paramref name="errorClass"/>.</summary>
    public static ClassifiedException New(
        ErrorClass errorClass,
        string message,
        string? errorId = null,
        Exception? innerException = null,
        object? target = null,
        string? details = null) => errorClass switch
    {
        ErrorClass.Unknown => new UnknownException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.InvalidArgument => new InvalidArgumentException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.NotFound => new NotFoundException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.AlreadyExists => new AlreadyExistsException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.PermissionDenied => new PermissionDeniedException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.ResourceExhausted => new ResourceExhaustedException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.FailedPrecondition => new FailedPreconditionException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.Conflict => new ConflictException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.NotModified => new NotModifiedException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.Aborted => new AbortedException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.OutOfRange => new OutOfRangeException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.NotImplemented => new UnimplementedException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.Internal => new InternalException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.Unavailable => new UnavailableException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.DataLoss => new DataLossException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.Unauthenticated => new UnauthenticatedException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.Canceled => new CanceledException(message, errorId, innerException) { Target = target, Details = details },
        ErrorClass.DeadlineExceeded => new DeadlineExceededException(message, errorId, innerException) { Target = target, Details = details },
        _ => throw new ArgumentOutOfRangeException(nameof(errorClass), errorClass, "Not an errdefs class."),
    };

    /// <summary>
    /// Adds context to an exception without changing its class: the message becomes
    /// "{context}: {inner message}", and ErrorId (unless given), Target and Details come from the
    /// outermost classified exception inside.
    /// </summary>
    public static ClassifiedException Wrap(Exception exception, string context, string? errorId = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var classified = ExceptionChain.FindClassified(exception);
        return New(
            Resolve(exception),
            $"{context}: {exception.Message}",
            errorId ?? classified?.ErrorId,
            exception,
            classified?.Target,
            classified?.Details);
    }

    /// <summary>
    /// The exception as a <see cref="ClassifiedException"/>: itself when it already is one;
    /// otherwise a new exception of its resolved class that keeps its message (an outer
    /// wrapper's context is not lost) and wraps it, carrying ErrorId, Target and Details from
    /// any classified exception inside.
    /// </summary>
    public static ClassifiedException Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is ClassifiedException self) return self;
        var classified = ExceptionChain.FindClassified(exception);
        return New(
            Resolve(exception),
            exception.Message,
            classified?.ErrorId,
            exception,
            classified?.Target,
            classified?.Details);
    }
}
