using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Filters;

/// <summary>
/// A filter in containerd's syntax. A filter string is selectors joined by <c>,</c> (all must match);
/// several filter strings are alternatives (any may match). A selector is a field path (fields joined
/// by <c>.</c>; a field is <c>[A-Za-z0-9_]+</c> or a <c>"quoted"</c> string such as
/// <c>labels."example.com/team"</c>), optionally followed by an operator and a value:
/// <c>==</c> equal, <c>!=</c> not equal (an absent field counts as ""), <c>~=</c> .NET regular
/// expression (unanchored, matched against "" when the field is absent; <c>/re/</c> and <c>|re|</c> quotes
/// are allowed there). A bare field path tests that the field is present. Values are unquoted
/// (anything printable up to a comma or whitespace) or <c>"quoted"</c> with Go escapes.
/// Whitespace is allowed before a field, an operator or a value, but, as in containerd, not before
/// a <c>.</c> or <c>,</c> nor at the end.
/// </summary>
public sealed class Filter
{
    private readonly IReadOnlyList<IReadOnlyList<FilterSelector>>? _alternatives;

    private Filter(IReadOnlyList<IReadOnlyList<FilterSelector>>? alternatives) => _alternatives = alternatives;

    /// <summary>The filter that matches everything.</summary>
    public static Filter All { get; } = new(null);

    /// <summary>True when this filter matches every object (null, empty or an empty string among the alternatives).</summary>
    public bool IsAll => _alternatives is null;

    /// <summary>
    /// Parses filter strings (any of them may match). Null, an empty list or an empty string among
    /// them gives <see cref="All"/>. A malformed string, or an invalid regular expression, is
    /// <see cref="InvalidArgumentException"/> (<c>InvalidFilter</c>) whose Target is that string and whose
    /// message marks the position, e.g. <c>filters: parse error: [labels.a== >|,|< b]: expected value or quoted (column 10)</c>.
    /// </summary>
    public static Filter Parse(IReadOnlyList<string>? filters)
    {
        if (filters is null || filters.Count == 0) return All;
        var alternatives = new List<IReadOnlyList<FilterSelector>>(filters.Count);
        var matchesAll = false;
        foreach (var filter in filters)
        {
            if (filter is null)
            {
                throw new InvalidArgumentException("filters: a filter string is null", ErrorIds.InvalidFilter);
            }
            if (filter.Length == 0)
            {
                matchesAll = true;
                continue;
            }
            alternatives.Add(FilterParser.Parse(filter));
        }
        return matchesAll ? All : new Filter(alternatives);
    }

    /// <summary>True when any alternative has all of its selectors matching <paramref name="adaptor"/>.</summary>
    /// <exception cref="InvalidArgumentException">A regular expression ran longer than its timeout (1 s).</exception>
    public bool Match(IFieldAdaptor adaptor)
    {
        ArgumentNullException.ThrowIfNull(adaptor);
        if (_alternatives is null) return true;
        foreach (var selectors in _alternatives)
        {
            var all = true;
            foreach (var selector in selectors)
            {
                if (!selector.Match(adaptor))
                {
                    all = false;
                    break;
                }
            }
            if (all) return true;
        }
        return false;
    }

    /// <summary>
    /// The filter in canonical syntax: each alternative as one filter string (fields and values quoted
    /// only when needed), alternatives joined by <c> OR </c>; <see cref="All"/> is the empty string.
    /// Each alternative parses back to an equal filter.
    /// </summary>
    public override string ToString() =>
        _alternatives is null ? "" : string.Join(" OR ", _alternatives.Select(selectors => string.Join(",", selectors)));
}
