using System.Globalization;
using System.Text;

namespace ContentPS.Engine.Filters;

internal enum FilterTokenKind
{
    End,
    Quoted,
    Value,
    Field,
    Separator,
    Operator,
    Illegal,
    /// <summary>Any other single character; <see cref="FilterToken.Text"/> holds it.</summary>
    Other,
}

/// <summary>One token: its kind, where it starts (a UTF-16 index into the input) and its text.</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, int Position, string Text);

/// <summary>
/// Splits a filter string into tokens the way containerd's filter scanner does: whitespace before a
/// token is skipped, but lookahead (<see cref="Peek"/>) sees it; after an operator the next bare word
/// is a value (anything printable up to a comma or whitespace), otherwise a field (<c>[A-Za-z0-9_]+</c>);
/// <c>"</c>, <c>/</c> and <c>|</c> open a quoted literal with Go escapes.
/// </summary>
internal sealed class FilterScanner
{
    public const int EndOfInput = -1;
    public const int IllegalRune = -2;

    private readonly string _input;
    private int _start;
    private int _next;
    private bool _valueExpected;

    public FilterScanner(string input) => _input = input;

    /// <summary>Why the last <see cref="FilterTokenKind.Illegal"/> token is illegal.</summary>
    public string Error { get; private set; } = "";

    /// <summary>Where the rune <see cref="Peek"/> returns starts.</summary>
    public int PeekPosition => _next;

    /// <summary>The next rune, without consuming it and without skipping whitespace.</summary>
    public int Peek()
    {
        var (start, next, error) = (_start, _next, Error);
        var rune = Next();
        (_start, _next, Error) = (start, next, error);
        return rune;
    }

    public FilterToken Scan()
    {
        Error = "";
        var ch = Next();
        while (ch >= 0 && IsSpace(ch))
        {
            ch = Next();
        }
        var position = _start;
        if (ch == EndOfInput) return new FilterToken(FilterTokenKind.End, position, "");
        if (ch == IllegalRune) return new FilterToken(FilterTokenKind.Illegal, position, Text(position));
        if (IsQuote(ch))
        {
            var legal = ScanQuoted(ch);
            return new FilterToken(legal ? FilterTokenKind.Quoted : FilterTokenKind.Illegal, position, Text(position));
        }
        if (IsSeparator(ch))
        {
            _valueExpected = false;
            return new FilterToken(FilterTokenKind.Separator, position, Text(position));
        }
        if (IsOperator(ch))
        {
            while (IsOperator(Peek())) Next();
            _valueExpected = true;
            return new FilterToken(FilterTokenKind.Operator, position, Text(position));
        }
        if (_valueExpected && IsValueRune(ch))
        {
            while (IsValueRune(Peek())) Next();
            _valueExpected = false;
            return new FilterToken(FilterTokenKind.Value, position, Text(position));
        }
        if (IsFieldRune(ch))
        {
            while (IsFieldRune(Peek())) Next();
            return new FilterToken(FilterTokenKind.Field, position, Text(position));
        }
        return new FilterToken(FilterTokenKind.Other, position, Text(position));
    }

    private string Text(int position) => _input[position.._next];

    private int Next()
    {
        _start = _next;
        if (_next >= _input.Length) return EndOfInput;
        if (Rune.DecodeFromUtf16(_input.AsSpan(_next), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
        {
            _next += Math.Max(consumed, 1);
            SetError("invalid UTF-16 (a lone surrogate)");
            return IllegalRune;
        }
        _next += consumed;
        if (rune.Value == 0)
        {
            SetError("unexpected null character");
            return IllegalRune;
        }
        return rune.Value;
    }

    private bool ScanQuoted(int quote)
    {
        var legal = true;
        var ch = Next();
        while (ch != quote)
        {
            if (ch == '\n' || ch < 0)
            {
                SetError("quoted literal not terminated");
                return false;
            }
            if (ch == '\\')
            {
                (ch, var escapeLegal) = ScanEscape(quote);
                legal &= escapeLegal;
            }
            else
            {
                ch = Next();
            }
        }
        return legal;
    }

    private (int Next, bool Legal) ScanEscape(int quote)
    {
        var ch = Next();
        switch (ch)
        {
            case 'a' or 'b' or 'f' or 'n' or 'r' or 't' or 'v' or '\\':
                return (Next(), true);
            case >= '0' and <= '7':
                return ScanDigits(ch, 8, 3);
            case 'x':
                return ScanDigits(Next(), 16, 2);
            case 'u':
                return ScanDigits(Next(), 16, 4);
            case 'U':
                return ScanDigits(Next(), 16, 8);
            default:
                if (ch == quote) return (Next(), true);
                SetError("illegal escape sequence");
                return (ch, false);
        }
    }

    private (int Next, bool Legal) ScanDigits(int ch, int radix, int count)
    {
        while (count > 0 && DigitValue(ch) < radix)
        {
            ch = Next();
            count--;
        }
        if (count > 0)
        {
            SetError("illegal numeric escape sequence");
            return (ch, false);
        }
        return (ch, true);
    }

    private void SetError(string message)
    {
        if (Error.Length == 0) Error = message;
    }

    internal static int DigitValue(int ch) => ch switch
    {
        >= '0' and <= '9' => ch - '0',
        >= 'a' and <= 'f' => ch - 'a' + 10,
        >= 'A' and <= 'F' => ch - 'A' + 10,
        _ => 16,
    };

    internal static bool IsFieldRune(int ch) => ch is '_' or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9');

    internal static bool IsOperator(int ch) => ch is '=' or '!' or '~';

    internal static bool IsQuote(int ch) => ch is '/' or '|' or '"';

    internal static bool IsSeparator(int ch) => ch is ',' or '.';

    internal static bool IsSpace(int ch) => ch >= 0 && Rune.IsWhiteSpace(new Rune(ch));

    /// <summary>Printable (letter, mark, number, punctuation or symbol), and neither a comma nor whitespace.</summary>
    internal static bool IsValueRune(int ch)
    {
        if (ch < 0 || ch == ',' || IsSpace(ch)) return false;
        return Rune.GetUnicodeCategory(new Rune(ch)) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
            _ => true,
        };
    }
}
