using System.Management.Automation;
using ContentPS.Engine.Errdefs;

namespace ContentPS;

/// <summary>
/// The one place that turns an exception into an <see cref="ErrorRecord"/>:
/// (classified exception, ErrorId, category from the errdefs class, target).
/// </summary>
public static class ErrorRecordFactory
{
    /// <summary>
    /// Builds the record for <paramref name="exception"/>. Unclassified exceptions are classified
    /// first (keeping their message), so the record's exception type, and therefore
    /// <c>CategoryInfo.Reason</c>, always names the errdefs class.
    /// </summary>
    /// <param name="exception">What failed.</param>
    /// <param name="target">
    /// The thing that failed (reference, digest, path); used when the exception carries no target
    /// of its own. Never the cmdlet.
    /// </param>
    /// <param name="errorId">Overrides the exception's ErrorId when not null or empty; by default
    /// the exception's own, else the default id of its class.</param>
    public static ErrorRecord Create(Exception exception, object? target = null, string? errorId = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ClassifiedException classified = exception as ClassifiedException ?? Errors.Classify(exception);
        // PowerShell passes $null as "" to a string parameter: empty means "not given".
        string id = NullIfEmpty(errorId) ?? NullIfEmpty(classified.ErrorId) ?? ErrorIds.DefaultFor(classified.Class);
        var record = new ErrorRecord(classified, id, Errdefs.ToCategory(classified.Class), classified.Target ?? target);
        if (!string.IsNullOrEmpty(classified.Details))
        {
            record.ErrorDetails = new ErrorDetails(classified.Details);
        }

        return record;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
