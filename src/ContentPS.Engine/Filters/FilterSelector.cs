using System.Text.RegularExpressions;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Filters;

internal enum FilterOperator
{
    Present,
    Equal,
    NotEqual,
    Matches,
}

/// <summary>One <c>fieldpath [operator value]</c> term of a filter.</summary>
internal sealed class FilterSelector
{
    /// <summary>How long one regular-expression match may run before the filter is rejected.</summary>
    internal static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex? _regex;

    public FilterSelector(IReadOnlyList<string> fieldPath, FilterOperator op, string value, Regex? regex)
    {
        FieldPath = fieldPath;
        Operator = op;
        Value = value;
        _regex = regex;
    }

    public IReadOnlyList<string> FieldPath { get; }
    public FilterOperator Operator { get; }
    public string Value { get; }

    /// <summary>containerd's semantics: "!=" and "~=" compare an absent field as the empty string.</summary>
    public bool Match(IFieldAdaptor adaptor)
    {
        var (value, present) = adaptor.Field(FieldPath);
        switch (Operator)
        {
            case FilterOperator.Present:
                return present;
            case FilterOperator.Equal:
                return present && string.Equals(value, Value, StringComparison.Ordinal);
            case FilterOperator.NotEqual:
                return !string.Equals(value, Value, StringComparison.Ordinal);
            default:
                try
                {
                    return _regex!.IsMatch(value ?? "");
                }
                catch (RegexMatchTimeoutException ex)
                {
                    throw new InvalidArgumentException(
                        $"filters: the regular expression {FilterQuoting.Quote(Value)} took longer than {RegexTimeout.TotalSeconds:0.#} s on a value of {(value ?? "").Length} characters",
                        ErrorIds.InvalidFilter, ex) { Target = ToString() };
                }
        }
    }

    public override string ToString()
    {
        var path = string.Join(".", FieldPath.Select(FormatField));
        return Operator switch
        {
            FilterOperator.Present => path,
            FilterOperator.Equal => path + "==" + FormatValue(Value),
            FilterOperator.NotEqual => path + "!=" + FormatValue(Value),
            _ => path + "~=" + FormatValue(Value),
        };
    }

    private static string FormatField(string field) =>
        field.Length > 0 && field.All(c => FilterScanner.IsFieldRune(c)) ? field : FilterQuoting.Quote(field);

    private static string FormatValue(string value)
    {
        if (value.Length == 0 || char.IsSurrogate(value[0])) return FilterQuoting.Quote(value);
        int first = value[0];
        if (FilterScanner.IsQuote(first) || FilterScanner.IsSeparator(first) || FilterScanner.IsOperator(first)) return FilterQuoting.Quote(value);
        foreach (var rune in value.EnumerateRunes())
        {
            if (!FilterScanner.IsValueRune(rune.Value)) return FilterQuoting.Quote(value);
        }
        return value;
    }
}
