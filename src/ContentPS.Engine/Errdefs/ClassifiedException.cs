namespace ContentPS;

/// <summary>
/// Base of every errdefs exception. The concrete type is named after its class
/// (<c>NotFoundException</c>, …) so the class survives PowerShell serialization through
/// <c>CategoryInfo.Reason</c>.
/// </summary>
public abstract class ClassifiedException : Exception
{
    protected ClassifiedException(string message, string? errorId, Exception? innerException)
        : base(message, innerException)
    {
        ErrorId = errorId;
    }

    /// <summary>The errdefs class this exception carries.</summary>
    public abstract ErrorClass Class { get; }

    /// <summary>A short PascalCase word that says what happened (<c>ManifestNotFound</c>), or null.</summary>
    public string? ErrorId { get; }

    /// <summary>The thing that failed (a reference, digest or path), when known.</summary>
    public object? Target { get; init; }

    /// <summary>Extra detail for the user, such as a registry's JSON error message.</summary>
    public string? Details { get; init; }
}
