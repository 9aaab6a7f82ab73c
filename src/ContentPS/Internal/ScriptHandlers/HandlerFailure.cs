using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Internal.ScriptHandlers;

/// <summary>
/// The ErrorRecord of a handler that failed on a descriptor: the descriptor (<see cref="ImageDescriptorInfo"/>) is the
/// target; the class is the one the thrown object carries (a ContentPS error, or a system exception errdefs maps),
/// else Unknown with the ErrorId <c>HandlerFailed</c>; the message names the handler and the descriptor. For a script
/// handler the record's InvocationInfo is the one of the throw, so the error shows the line of the handler that threw.
/// </summary>
internal static class HandlerFailure
{
    public static ErrorRecord FromScript(Exception thrown, ScriptStep step, ImageDescriptorInfo descriptor)
    {
        ErrorRecord? thrownRecord = (thrown as IContainsErrorRecord)?.ErrorRecord;
        Exception cause = thrownRecord?.Exception is { } inner && inner is not ParentContainsErrorRecordException ? inner : thrown;
        string message = $"-Handler {step.Position + 1} failed on the {descriptor.Kind} {descriptor.Digest}: {cause.Message}";
        ErrorRecord record = Create(cause, message, descriptor);
        if (thrownRecord?.InvocationInfo is { } position)
        {
            KeepInvocationInfo(record, position);
        }

        return record;
    }

    /// <summary>The record of a built-in handler's failure (a registry or store error) on <paramref name="descriptor"/>.</summary>
    public static ErrorRecord FromBuiltIn(Exception failure, string handler, ImageDescriptorInfo descriptor) =>
        Create(failure, $"{handler} failed on the {descriptor.Kind} {descriptor.Digest}: {failure.Message}", descriptor);

    private static ErrorRecord Create(Exception cause, string message, ImageDescriptorInfo descriptor)
    {
        ErrorClass errorClass = Errors.Resolve(cause);
        ClassifiedException? classified = FindClassified(cause);
        string errorId = classified?.ErrorId ?? (errorClass == ErrorClass.Unknown ? ErrorIds.HandlerFailed : ErrorIds.DefaultFor(errorClass));
        ClassifiedException exception = Errors.New(errorClass, message, errorId, cause, descriptor, classified?.Details);
        return ErrorRecordFactory.Create(exception, descriptor);
    }

    private static ClassifiedException? FindClassified(Exception? exception)
    {
        for (Exception? at = exception; at is not null; at = at.InnerException)
        {
            if (at is ClassifiedException classified)
            {
                return classified;
            }
        }

        return null;
    }

    /// <summary>
    /// Makes <paramref name="record"/> show <paramref name="position"/> (the handler line that threw) once the cmdlet
    /// writes it. PowerShell gives every record a cmdlet writes the cmdlet's InvocationInfo (which names the command in
    /// FullyQualifiedErrorId) but keeps the public <see cref="InvocationInfo.DisplayScriptPosition"/> of the one it
    /// replaces, and ScriptName, Line, ScriptLineNumber and PositionMessage read that position. A new record has no
    /// InvocationInfo to carry it, and only PowerShell's own code can give it one: reached by reflection, and skipped
    /// (the record then shows the cmdlet's line; its inner exception still has the handler's) where it is missing.
    /// </summary>
    private static void KeepInvocationInfo(ErrorRecord record, InvocationInfo position)
    {
        const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;
        MethodInfo? setInvocationInfo = typeof(ErrorRecord).GetMethod("SetInvocationInfo", Internal, [typeof(InvocationInfo)]);
        IScriptExtent? extent = position.DisplayScriptPosition
            ?? typeof(InvocationInfo).GetProperty("ScriptPosition", Internal)?.GetValue(position) as IScriptExtent;
        if (setInvocationInfo is null || extent is null)
        {
            return;
        }

        setInvocationInfo.Invoke(record, [position]);
        if (record.InvocationInfo is { } carried)
        {
            carried.DisplayScriptPosition = extent;
        }
    }
}
