using System.Text;
using System.Text.RegularExpressions;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Filters;

/// <summary>
/// Parses one filter string (selectors joined by commas) with containerd's grammar:
/// <code>
/// selectors := selector ("," selector)*
/// selector  := fieldpath (operator value)?
/// fieldpath := field ("." field)*
/// field     := quoted | [A-Za-z0-9_]+
/// operator  := "==" | "!=" | "~="
/// value     := quoted | [^\s,]+          ("/…/" and "|…|" quotes only after "~=")
/// </code>
/// </summary>
internal sealed class FilterParser
{
    private readonly string _input;
    private readonly FilterScanner _scanner;

    private FilterParser(string input)
    {
        _input = input;
        _scanner = new FilterScanner(input);
    }

    public static IReadOnlyList<FilterSelector> Parse(string input) => new FilterParser(input).Selectors();

    private List<FilterSelector> Selectors()
    {
        var selectors = new List<FilterSelector> { Selector() };
        while (true)
        {
            var next = _scanner.Peek();
            if (next == FilterScanner.EndOfInput) return selectors;
            if (next != ',')
            {
                throw Error(_scanner.PeekPosition, $"unexpected input: {Describe(next)}");
            }
            _scanner.Scan();
            selectors.Add(Selector());
        }
    }

    private FilterSelector Selector()
    {
        var fieldPath = FieldPath();
        var next = _scanner.Peek();
        if (next is ',' or FilterScanner.EndOfInput)
        {
            return new FilterSelector(fieldPath, FilterOperator.Present, "", null);
        }
        var op = Operator();
        var (value, position) = Value(allowAlternateQuotes: op == FilterOperator.Matches);
        Regex? regex = null;
        if (op == FilterOperator.Matches)
        {
            try
            {
                regex = new Regex(value, RegexOptions.CultureInvariant, FilterSelector.RegexTimeout);
            }
            catch (ArgumentException ex)
            {
                throw Error(position, $"invalid regular expression: {ex.Message}");
            }
        }
        return new FilterSelector(fieldPath, op, value, regex);
    }

    private List<string> FieldPath()
    {
        var fields = new List<string> { Field() };
        while (_scanner.Peek() == '.')
        {
            _scanner.Scan();
            fields.Add(Field());
        }
        return fields;
    }

    private string Field()
    {
        var token = _scanner.Scan();
        return token.Kind switch
        {
            FilterTokenKind.Field => token.Text,
            FilterTokenKind.Quoted => Unquote(token, allowAlternateQuotes: false),
            FilterTokenKind.Illegal => throw Error(token.Position, _scanner.Error),
            _ => throw Error(token.Position, "expected field or quoted"),
        };
    }

    private FilterOperator Operator()
    {
        var token = _scanner.Scan();
        return token.Kind switch
        {
            FilterTokenKind.Operator => token.Text switch
            {
                "==" => FilterOperator.Equal,
                "!=" => FilterOperator.NotEqual,
                "~=" => FilterOperator.Matches,
                _ => throw Error(token.Position, $"unsupported operator \"{token.Text}\""),
            },
            FilterTokenKind.Illegal => throw Error(token.Position, _scanner.Error),
            _ => throw Error(token.Position, "expected an operator (\"==\"|\"!=\"|\"~=\")"),
        };
    }

    private (string Value, int Position) Value(bool allowAlternateQuotes)
    {
        var token = _scanner.Scan();
        return token.Kind switch
        {
            FilterTokenKind.Value or FilterTokenKind.Field => (token.Text, token.Position),
            FilterTokenKind.Quoted => (Unquote(token, allowAlternateQuotes), token.Position),
            FilterTokenKind.Illegal => throw Error(token.Position, _scanner.Error),
            _ => throw Error(token.Position, "expected value or quoted"),
        };
    }

    private string Unquote(FilterToken token, bool allowAlternateQuotes)
    {
        if (!allowAlternateQuotes && token.Text[0] != '"')
        {
            throw Error(token.Position, "invalid quote encountered");
        }
        return FilterQuoting.TryUnquote(token.Text, out var error) ?? throw Error(token.Position, $"unquoting failed: {error}");
    }

    /// <summary>
    /// containerd's message, <c>filters: parse error: [before &gt;|here|&lt; after]: reason</c>, plus the
    /// 1-based column; control characters of the input are shown escaped.
    /// </summary>
    private InvalidArgumentException Error(int position, string reason)
    {
        string where;
        if (position < _input.Length)
        {
            var length = char.IsHighSurrogate(_input[position]) && position + 1 < _input.Length && char.IsLowSurrogate(_input[position + 1]) ? 2 : 1;
            where = $"[{Printable(_input[..position])} >|{Printable(_input.Substring(position, length))}|< {Printable(_input[(position + length)..])}]: {reason} (column {position + 1})";
        }
        else
        {
            where = $"[{Printable(_input)}]: {reason} (at the end)";
        }
        return new InvalidArgumentException("filters: parse error: " + where, ErrorIds.InvalidFilter) { Target = _input };
    }

    private static string Describe(int rune) => rune switch
    {
        ' ' => "a space",
        '\t' => "a tab",
        < 0 => "an invalid character",
        _ when FilterScanner.IsSpace(rune) || char.IsControl((char)Math.Min(rune, 0xFFFF)) => $"U+{rune:X4}",
        _ => "\"" + char.ConvertFromUtf32(rune) + "\"",
    };

    private static string Printable(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var escape = char.IsControl(c) || (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) && !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1])));
            if (escape)
            {
                builder ??= new StringBuilder(text, 0, i, text.Length + 8);
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder?.Append(c);
            }
        }
        return builder?.ToString() ?? text;
    }
}
