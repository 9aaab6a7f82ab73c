using System.Globalization;
using System.Text;

namespace ContentPS.Engine.Filters;

/// <summary>Go-style quoted literals as filters use them: <c>"…"</c> everywhere, <c>/…/</c> and <c>|…|</c> for regular expressions.</summary>
internal static class FilterQuoting
{
    /// <summary>The text a quoted literal stands for, or null with a reason when it is malformed.</summary>
    public static string? TryUnquote(string literal, out string? error)
    {
        error = "invalid syntax";
        if (literal.Length < 2 || literal[0] != literal[^1]) return null;
        var quote = literal[0];
        var body = literal.AsSpan(1, literal.Length - 2);
        var result = new StringBuilder(body.Length);
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (c == quote || c == '\n') return null;
            if (c != '\\')
            {
                result.Append(c);
                i++;
                continue;
            }
            if (i + 1 >= body.Length) return null;
            var escape = body[i + 1];
            i += 2;
            switch (escape)
            {
                case 'a': result.Append('\a'); break;
                case 'b': result.Append('\b'); break;
                case 'f': result.Append('\f'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case 'v': result.Append('\v'); break;
                case '\\': result.Append('\\'); break;
                case 'x' or 'u' or 'U':
                {
                    var length = escape switch { 'x' => 2, 'u' => 4, _ => 8 };
                    if (i + length > body.Length) return null;
                    var value = 0;
                    for (var j = 0; j < length; j++)
                    {
                        var digit = FilterScanner.DigitValue(body[i + j]);
                        if (digit >= 16) return null;
                        value = (value << 4) | digit;
                    }
                    i += length;
                    if (!Rune.IsValid(value))
                    {
                        error = $"\\{escape}{body.Slice(i - length, length).ToString()} is not a Unicode scalar value";
                        return null;
                    }
                    result.Append(new Rune(value).ToString());
                    break;
                }
                case >= '0' and <= '7':
                {
                    if (i + 2 > body.Length) return null;
                    var value = escape - '0';
                    for (var j = 0; j < 2; j++)
                    {
                        var digit = body[i + j] - '0';
                        if (digit is < 0 or > 7) return null;
                        value = (value << 3) | digit;
                    }
                    i += 2;
                    if (value > 255)
                    {
                        error = "octal escape value > 255";
                        return null;
                    }
                    result.Append((char)value);
                    break;
                }
                default:
                    if (escape != quote) return null;
                    result.Append(escape);
                    break;
            }
        }
        error = null;
        return result.ToString();
    }

    /// <summary>A double-quoted literal that <see cref="TryUnquote"/> reads back as <paramref name="text"/>.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    var category = Rune.GetUnicodeCategory(rune);
                    if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned
                        or UnicodeCategory.PrivateUse or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                    {
                        builder.Append(rune.Value <= 0xFFFF
                            ? "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture)
                            : "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(rune.ToString());
                    }
                    break;
            }
        }
        return builder.Append('"').ToString();
    }
}
