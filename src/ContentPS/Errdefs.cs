using System.Management.Automation;
using ContentPS.Engine.Errdefs;

namespace ContentPS;

/// <summary>
/// Maps what PowerShell hands a script (an <see cref="ErrorRecord"/>, an exception, or a
/// deserialized record from a job, <c>ForEach-Object -Parallel</c> or remoting) back to its
/// errdefs class: <c>[ContentPS.Errdefs]::Resolve($_)</c>.
/// </summary>
public static class Errdefs
{
    private const string Deserialized = "Deserialized.";
    private const string ErrorRecordTypeName = "System.Management.Automation.ErrorRecord";
    private const int MaximumDepth = 8;

    /// <summary>The class of a record: its exception when ours, else CategoryInfo.Reason, else the
    /// ErrorId table, else the category (several classes share one, so it comes last).</summary>
    public static ErrorClass Resolve(ErrorRecord record) => ResolveRecord(record, 0);

    /// <summary>The class of an exception, looking through PowerShell's wrappers
    /// (RemoteException, ActionPreferenceStopException, …).</summary>
    public static ErrorClass Resolve(Exception exception) => ResolveException(exception, 0);

    /// <summary>The class of whatever a script holds: an ErrorRecord, an exception, or a PSObject
    /// wrapping either or their deserialized forms (Receive-Job, remoting).</summary>
    public static ErrorClass Resolve(object? value) => ResolveValue(value, 0);

    /// <summary>The PowerShell category of a class.</summary>
    public static ErrorCategory ToCategory(ErrorClass errorClass) =>
        Enum.Parse<ErrorCategory>(ErrorCategoryMap.ToCategoryName(errorClass));

    /// <summary>The class a category most likely means (the last resort when nothing else is known).</summary>
    public static ErrorClass FromCategory(ErrorCategory category) =>
        ErrorCategoryMap.FromCategoryName(category.ToString());

    private static ErrorClass ResolveValue(object? value, int depth)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (value)
        {
            case ErrorRecord record:
                return ResolveRecord(record, depth);
            case Exception exception:
                return ResolveException(exception, depth);
            case PSObject wrapper when wrapper.BaseObject is ErrorRecord or Exception:
                return ResolveValue(wrapper.BaseObject, depth);
            case PSObject wrapper:
                return ResolveDeserialized(wrapper, depth);
            default:
                throw new ArgumentException(
                    $"Cannot resolve an errdefs class from a value of type {value.GetType().FullName}; pass an ErrorRecord or an exception.",
                    nameof(value));
        }
    }

    private static ErrorClass ResolveRecord(ErrorRecord record, int depth)
    {
        ArgumentNullException.ThrowIfNull(record);
        Exception? exception = record.Exception;
        if (depth < MaximumDepth && exception is not null && FromException(exception, depth + 1, useSystemMap: false) is { } fromException)
        {
            return fromException;
        }

        ErrorClass fromRecord = ErrorCategoryMap.FromErrorRecord(
            record.CategoryInfo?.Reason, record.FullyQualifiedErrorId, record.CategoryInfo?.Category.ToString());

        // A foreign record that says nothing: a well-known system exception is still a hint.
        return fromRecord == ErrorClass.Unknown && exception is not null ? Errors.Resolve(exception) : fromRecord;
    }

    private static ErrorClass ResolveException(Exception exception, int depth)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return FromException(exception, depth, useSystemMap: true) ?? ErrorClass.Unknown;
    }

    /// <summary>
    /// The class an exception carries, or null when it carries none we can see. Ours (a
    /// ClassifiedException anywhere in the chain) first, then PowerShell's wrappers, then, when
    /// asked, the engine's map of well-known system exceptions.
    /// </summary>
    private static ErrorClass? FromException(Exception exception, int depth, bool useSystemMap)
    {
        if (HasClassifiedException(exception))
        {
            return Errors.Resolve(exception);
        }

        if (depth < MaximumDepth && FromPowerShellWrapper(exception, depth) is { } fromWrapper)
        {
            return fromWrapper;
        }

        ErrorClass mapped = useSystemMap ? Errors.Resolve(exception) : ErrorClass.Unknown;
        return mapped == ErrorClass.Unknown ? null : mapped;
    }

    private static ErrorClass? FromPowerShellWrapper(Exception exception, int depth)
    {
        // A record that crossed a process boundary: the original exception is a property bag.
        if (exception is RemoteException remote)
        {
            if (remote.SerializedRemoteException is { } serialized && FromTypeNames(serialized) is { } fromTypes)
            {
                return fromTypes;
            }

            if (remote.ErrorRecord is { } remoteRecord && !ReferenceEquals(remoteRecord.Exception, exception))
            {
                ErrorClass fromRemote = ResolveRecord(remoteRecord, depth + 1);
                return fromRemote == ErrorClass.Unknown ? null : fromRemote;
            }
        }

        // -ErrorAction Stop, RuntimeException and friends carry the record that explains them.
        if (exception is IContainsErrorRecord { ErrorRecord: { } inner } && !ReferenceEquals(inner.Exception, exception))
        {
            ErrorClass fromRecord = ResolveRecord(inner, depth + 1);
            return fromRecord == ErrorClass.Unknown ? null : fromRecord;
        }

        return null;
    }

    private static bool HasClassifiedException(Exception? exception) => exception switch
    {
        null => false,
        ClassifiedException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(HasClassifiedException),
        _ => HasClassifiedException(exception.InnerException),
    };

    private static ErrorClass ResolveDeserialized(PSObject value, int depth)
    {
        if (IsDeserializedRecord(value))
        {
            if (depth < MaximumDepth && Property(value, "Exception") is { } exception && ResolveValue(exception, depth + 1) is var fromException
                && fromException != ErrorClass.Unknown)
            {
                return fromException;
            }

            PSObject? categoryInfo = Property(value, "CategoryInfo") as PSObject;
            string? reason = Text(Property(value, "ErrorCategory_Reason")) ?? Text(Property(categoryInfo, "Reason"));
            string? category = Text(Property(value, "ErrorCategory_Category")) ?? Text(Property(categoryInfo, "Category"));
            return ErrorCategoryMap.FromErrorRecord(reason, Text(Property(value, "FullyQualifiedErrorId")), CategoryName(category));
        }

        if (FromTypeNames(value) is { } fromTypes)
        {
            return fromTypes;
        }

        // A deserialized exception that PowerShell knows how to wrap (it keeps its ErrorRecord).
        if (depth < MaximumDepth && Property(value, "ErrorRecord") is PSObject record && IsDeserializedRecord(record))
        {
            return ResolveDeserialized(record, depth + 1);
        }

        return ErrorClass.Unknown;
    }

    /// <summary>The class named by a (deserialized) exception's type names, most derived first.</summary>
    private static ErrorClass? FromTypeNames(PSObject value)
    {
        foreach (string typeName in value.TypeNames)
        {
            string name = typeName.StartsWith(Deserialized, StringComparison.Ordinal) ? typeName[Deserialized.Length..] : typeName;
            if (ErrorCategoryMap.FromExceptionTypeName(name[(name.LastIndexOf('.') + 1)..]) is { } fromName)
            {
                return fromName;
            }
        }

        return null;
    }

    private static bool IsDeserializedRecord(PSObject value) =>
        value.TypeNames.Any(name => name == Deserialized + ErrorRecordTypeName);

    private static string? CategoryName(string? category) =>
        int.TryParse(category, out int number) && Enum.IsDefined(typeof(ErrorCategory), number)
            ? ((ErrorCategory)number).ToString()
            : category;

    private static object? Property(PSObject? value, string name) => value?.Properties[name]?.Value;

    private static string? Text(object? value) => (value is PSObject wrapper ? wrapper.BaseObject : value)?.ToString();
}
