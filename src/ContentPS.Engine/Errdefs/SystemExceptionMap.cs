namespace ContentPS.Engine.Errdefs;

/// <summary>Classes for well-known base-library exceptions that carry no errdefs class.</summary>
internal static class SystemExceptionMap
{
    public static ErrorClass? Map(Exception exception) => exception switch
    {
        // HttpClient reports its own timeout as a TaskCanceledException around a TimeoutException.
        OperationCanceledException { InnerException: TimeoutException } => ErrorClass.DeadlineExceeded,
        OperationCanceledException => ErrorClass.Canceled,
        TimeoutException => ErrorClass.DeadlineExceeded,
        FileNotFoundException or DirectoryNotFoundException => ErrorClass.NotFound,
        UnauthorizedAccessException => ErrorClass.PermissionDenied,
        NotImplementedException or NotSupportedException => ErrorClass.NotImplemented,
        ArgumentException => ErrorClass.InvalidArgument,
        HttpRequestException { StatusCode: { } status } => RegistryErrors.FromHttpStatus((int)status),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }
            => ErrorClass.Unavailable,
        _ => null,
    };

    /// <summary>The class of the outermost exception in the chain that this map knows, or null.</summary>
    public static ErrorClass? Find(Exception? exception)
    {
        foreach (var e in ExceptionChain.Walk(exception))
            if (Map(e) is { } errorClass) return errorClass;
        return null;
    }
}
