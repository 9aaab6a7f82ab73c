using System.Globalization;
using System.Text;

namespace ContentPS.Engine.Oci;

/// <summary>
/// The few Go string behaviours that containerd's platforms package relies on, so our results and
/// messages agree with it: byte-wise (code point) ordering, <c>%q</c> quoting, <c>path.Join</c>/<c>path.Clean</c>,
/// <c>strconv.Atoi</c> and <c>url.PathUnescape</c>.
/// </summary>
internal static class GoString
{
    /// <summary>Orders strings by Unicode code point, as Go compares UTF-8 strings byte by byte.</summary>
    public static readonly IComparer<string> CodePointComparer = Comparer<string>.Create(Compare);

    public static int Compare(string? a, string? b)
    {
        a ??= "";
        b ??= "";
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            char x = a[i], y = b[i];
            if (x != y)
            {
                return Fix(x) - Fix(y);
            }
        }

        return a.Length - b.Length;

        // Surrogates (supplementary code points) sort above U+E000..U+FFFF in code point order.
        static int Fix(char c) => c >= 0xD800 ? (c >= 0xE000 ? c - 0x800 : c + 0x2000) : c;
    }

    /// <summary>Go's <c>strconv.Quote</c> (<c>%q</c>).</summary>
    public static string Quote(string? s)
    {
        var b = new StringBuilder((s?.Length ?? 0) + 2);
        b.Append('"');
        foreach (var r in (s ?? "").EnumerateRunes())
        {
            int v = r.Value;
            switch (v)
            {
                case '"': b.Append("\\\""); continue;
                case '\\': b.Append("\\\\"); continue;
                case '\a': b.Append("\\a"); continue;
                case '\b': b.Append("\\b"); continue;
                case '\f': b.Append("\\f"); continue;
                case '\n': b.Append("\\n"); continue;
                case '\r': b.Append("\\r"); continue;
                case '\t': b.Append("\\t"); continue;
                case '\v': b.Append("\\v"); continue;
            }

            if (IsPrint(r))
            {
                b.Append(r.ToString());
            }
            else if (v < 0x20 || v == 0x7F)
            {
                b.Append("\\x").Append(v.ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (v < 0x10000)
            {
                b.Append("\\u").Append(v.ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                b.Append("\\U").Append(v.ToString("x8", CultureInfo.InvariantCulture));
            }
        }

        b.Append('"');
        return b.ToString();
    }

    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsPrint(Rune r)
    {
        if (r.Value == ' ')
        {
            return true;
        }

        switch (Rune.GetUnicodeCategory(r))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
            case UnicodeCategory.ConnectorPunctuation:
            case UnicodeCategory.DashPunctuation:
            case UnicodeCategory.OpenPunctuation:
            case UnicodeCategory.ClosePunctuation:
            case UnicodeCategory.InitialQuotePunctuation:
            case UnicodeCategory.FinalQuotePunctuation:
            case UnicodeCategory.OtherPunctuation:
            case UnicodeCategory.MathSymbol:
            case UnicodeCategory.CurrencySymbol:
            case UnicodeCategory.ModifierSymbol:
            case UnicodeCategory.OtherSymbol:
                return true;
            default:
                return false;
        }
    }

    /// <summary>Go's <c>path.Join</c>: non-empty elements joined by '/', then cleaned; "" when all are empty.</summary>
    public static string PathJoin(params string?[] elements)
    {
        var parts = elements.Where(e => !string.IsNullOrEmpty(e)).ToArray();
        return parts.Length == 0 ? "" : PathClean(string.Join('/', parts));
    }

    /// <summary>
    /// Go's <c>path.Clean</c>: one slash between elements, no "." elements, ".." removes the element before it
    /// (and is dropped at the root), no trailing slash, "." for an empty result.
    /// </summary>
    public static string PathClean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        bool rooted = path[0] == '/';
        var stack = new List<string>();
        foreach (var element in path.Split('/'))
        {
            if (element.Length == 0 || element == ".")
            {
                continue;
            }

            if (element == "..")
            {
                if (stack.Count > 0 && stack[^1] != "..")
                {
                    stack.RemoveAt(stack.Count - 1);
                }
                else if (!rooted)
                {
                    stack.Add("..");
                }

                continue;
            }

            stack.Add(element);
        }

        var joined = string.Join('/', stack);
        if (rooted)
        {
            return "/" + joined;
        }

        return joined.Length == 0 ? "." : joined;
    }

    /// <summary>Go's <c>strconv.Atoi</c> on a 64-bit platform: optional sign, decimal digits, int64 range.</summary>
    public static bool TryAtoi(string? s, out long value)
    {
        value = 0;
        if (string.IsNullOrEmpty(s))
        {
            return false;
        }

        int i = 0;
        bool negative = false;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            i = 1;
            if (s.Length == 1)
            {
                return false;
            }
        }

        ulong limit = negative ? (ulong)long.MaxValue + 1 : long.MaxValue;
        ulong n = 0;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (c is < '0' or > '9')
            {
                return false;
            }

            if (n > (limit - (ulong)(c - '0')) / 10)
            {
                return false;
            }

            n = n * 10 + (ulong)(c - '0');
        }

        value = negative ? (long)(0 - n) : (long)n;
        return true;
    }

    /// <summary>
    /// Go's <c>url.PathUnescape</c>: "%XX" becomes that byte, the bytes are read as UTF-8; a malformed escape
    /// fails with Go's message <c>invalid URL escape "%zz"</c>.
    /// </summary>
    public static bool TryPathUnescape(string s, out string result, out string? error)
    {
        result = s;
        error = null;
        if (!s.Contains('%'))
        {
            return true;
        }

        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && (i + 2 >= s.Length || !IsHex(s[i + 1]) || !IsHex(s[i + 2])))
            {
                var bad = s[i..];
                if (bad.Length > 3)
                {
                    bad = bad[..3];
                }

                error = "invalid URL escape " + Quote(bad);
                return false;
            }
        }

        var bytes = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%')
            {
                bytes.Add((byte)((HexValue(s[i + 1]) << 4) | HexValue(s[i + 2])));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
            }
        }

        result = Encoding.UTF8.GetString(bytes.ToArray());
        return true;

        static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');
        static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
