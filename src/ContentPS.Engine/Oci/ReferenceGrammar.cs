using System.Text;

namespace ContentPS.Engine.Oci;

/// <summary>
/// Hand-written, linear-time recognizers for the distribution reference grammar
/// (github.com/distribution/reference v0.6) and the digest checks of go-digest v1.0.0.
/// </summary>
/// <remarks>
/// <code>
/// reference        := name [ ":" tag ] [ "@" digest ]
/// name             := [domain '/'] remote-name
/// domain           := host [':' port-number]
/// host             := domain-name | '[' [a-fA-F0-9:]+ ']'
/// domain-name      := domain-component ['.' domain-component]*
/// domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
/// port-number      := /[0-9]+/
/// remote-name      := path-component ['/' path-component]*
/// path-component   := alpha-numeric [separator alpha-numeric]*
/// alpha-numeric    := /[a-z0-9]+/
/// separator        := /[_.]|__|[-]+/
/// tag              := /[\w][\w.-]{0,127}/
/// digest           := algorithm ":" /[0-9a-fA-F]{32,}/
/// algorithm        := /[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*/
/// identifier       := /[a-f0-9]{64}/
/// </code>
/// Every recognizer is a single left-to-right pass, so hostile input cannot cause backtracking.
/// </remarks>
internal static class ReferenceGrammar
{
    public const string ErrInvalidFormat = "invalid reference format";
    public const string ErrTagInvalidFormat = "invalid tag format";
    public const string ErrDigestInvalidFormat = "invalid digest format";
    public const string ErrNameContainsUppercase = "repository name must be lowercase";
    public const string ErrNameTooLong = "repository name must not be more than 255 characters";
    public const string ErrChecksumInvalidFormat = "invalid checksum digest format";
    public const string ErrChecksumInvalidLength = "invalid checksum digest length";
    public const string ErrChecksumUnsupported = "unsupported digest algorithm";

    public const int RepositoryNameTotalLengthMax = 255;

    private static bool IsLowerAlnum(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static bool IsAlnum(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    private static bool IsLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    private static bool IsWord(char c) => IsAlnum(c) || c == '_';

    /// <summary><c>identifier := /[a-f0-9]{64}/</c>, the whole string.</summary>
    public static bool IsIdentifier(ReadOnlySpan<char> s)
    {
        if (s.Length != 64)
        {
            return false;
        }
        foreach (char c in s)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary><c>tag := /[\w][\w.-]{0,127}/</c>, the whole string.</summary>
    public static bool IsTag(ReadOnlySpan<char> s)
    {
        if (s.Length is 0 or > 128 || !IsWord(s[0]))
        {
            return false;
        }
        for (int i = 1; i < s.Length; i++)
        {
            char c = s[i];
            if (!IsWord(c) && c != '.' && c != '-')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The reference grammar's digest production, the whole string.</summary>
    public static bool IsDigest(ReadOnlySpan<char> s)
    {
        int colon = s.IndexOf(':');
        if (colon < 0)
        {
            return false;
        }
        ReadOnlySpan<char> algorithm = s[..colon];
        ReadOnlySpan<char> encoded = s[(colon + 1)..];

        // algorithm: components that start with a letter, joined by exactly one of - _ + .
        bool expectComponentStart = true;
        foreach (char c in algorithm)
        {
            if (expectComponentStart)
            {
                if (!IsLetter(c))
                {
                    return false;
                }
                expectComponentStart = false;
            }
            else if (c is '-' or '_' or '+' or '.')
            {
                expectComponentStart = true;
            }
            else if (!IsAlnum(c))
            {
                return false;
            }
        }
        if (expectComponentStart)
        {
            return false; // empty algorithm or trailing separator
        }

        if (encoded.Length < 32)
        {
            return false;
        }
        foreach (char c in encoded)
        {
            if (!IsHex(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// go-digest's <c>Digest.Validate</c> for a string that already matches <see cref="IsDigest"/>,
    /// with sha256, sha384 and sha512 available (as in Docker). Returns null when valid.
    /// </summary>
    public static string? ValidateChecksum(ReadOnlySpan<char> digest)
    {
        int colon = digest.IndexOf(':');
        ReadOnlySpan<char> algorithm = digest[..colon];
        ReadOnlySpan<char> encoded = digest[(colon + 1)..];
        int expectedLength = algorithm switch
        {
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            _ => -1,
        };
        if (expectedLength < 0)
        {
            // Unknown algorithm: go-digest reports "unsupported" only when the string passes its own,
            // lowercase-only algorithm grammar; our grammar differs from it only by uppercase letters.
            foreach (char c in algorithm)
            {
                if (c is >= 'A' and <= 'Z')
                {
                    return ErrChecksumInvalidFormat;
                }
            }
            return ErrChecksumUnsupported;
        }
        if (encoded.Length != expectedLength)
        {
            return ErrChecksumInvalidLength;
        }
        foreach (char c in encoded)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return ErrChecksumInvalidFormat;
            }
        }
        return null;
    }

    /// <summary><c>domain := host [':' port-number]</c>, the whole string.</summary>
    public static bool IsDomainAndPort(ReadOnlySpan<char> s)
    {
        int i;
        if (s.Length > 0 && s[0] == '[')
        {
            int close = s.IndexOf(']');
            if (close < 2)
            {
                return false;
            }
            foreach (char c in s[1..close])
            {
                if (!IsHex(c) && c != ':')
                {
                    return false;
                }
            }
            i = close + 1;
        }
        else
        {
            // domain-name: components of [a-zA-Z0-9-] that neither start nor end with '-', joined by '.'
            i = 0;
            while (true)
            {
                int start = i;
                while (i < s.Length && (IsAlnum(s[i]) || s[i] == '-'))
                {
                    i++;
                }
                if (i == start || s[start] == '-' || s[i - 1] == '-')
                {
                    return false;
                }
                if (i < s.Length && s[i] == '.')
                {
                    i++;
                    continue;
                }
                break;
            }
        }

        if (i == s.Length)
        {
            return true;
        }
        if (s[i] != ':' || i + 1 == s.Length)
        {
            return false;
        }
        for (i++; i < s.Length; i++)
        {
            if (!IsDigit(s[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary><c>remote-name := path-component ['/' path-component]*</c>, the whole string.</summary>
    public static bool IsRemoteName(ReadOnlySpan<char> s)
    {
        int i = 0;
        while (true)
        {
            // path-component: alpha-numeric [separator alpha-numeric]*
            if (i == s.Length || !IsLowerAlnum(s[i]))
            {
                return false;
            }
            while (true)
            {
                while (i < s.Length && IsLowerAlnum(s[i]))
                {
                    i++;
                }
                if (i == s.Length || s[i] == '/')
                {
                    break;
                }
                char sep = s[i];
                if (sep == '.')
                {
                    i++;
                }
                else if (sep == '_')
                {
                    i++;
                    if (i < s.Length && s[i] == '_')
                    {
                        i++;
                    }
                }
                else if (sep == '-')
                {
                    while (i < s.Length && s[i] == '-')
                    {
                        i++;
                    }
                }
                else
                {
                    return false;
                }
                if (i == s.Length || !IsLowerAlnum(s[i]))
                {
                    return false; // a separator must be followed by alpha-numerics
                }
            }
            if (i == s.Length)
            {
                return true;
            }
            i++; // '/'
        }
    }

    /// <summary>
    /// Splits a name into domain and path the way the anchored name expression captures them: the
    /// first element is the domain when it is a valid domain and the rest is a valid remote name;
    /// otherwise the whole name must be a remote name and the domain is empty.
    /// </summary>
    public static bool TrySplitName(string name, out string domain, out string path)
    {
        int slash = name.IndexOf('/');
        if (slash > 0 && IsDomainAndPort(name.AsSpan(0, slash)) && IsRemoteName(name.AsSpan(slash + 1)))
        {
            domain = name[..slash];
            path = name[(slash + 1)..];
            return true;
        }
        if (IsRemoteName(name))
        {
            domain = string.Empty;
            path = name;
            return true;
        }
        domain = path = string.Empty;
        return false;
    }

    /// <summary>
    /// Matches the whole reference expression <c>name [":" tag] ["@" digest]</c> and returns its
    /// captures. In any match, the digest follows the only '@', and a tag follows the last ':' when
    /// that ':' comes after the last '/' (a name holds ':' only inside its domain, before a '/'), so
    /// the decomposition is unique and found without backtracking.
    /// </summary>
    public static bool TryMatchReference(string s, out string name, out string? tag, out string? digest)
    {
        name = string.Empty;
        tag = digest = null;
        string nameAndTag = s;
        int at = s.IndexOf('@');
        if (at >= 0)
        {
            if (!IsDigest(s.AsSpan(at + 1)))
            {
                return false;
            }
            digest = s[(at + 1)..];
            nameAndTag = s[..at];
        }

        int colon = nameAndTag.LastIndexOf(':');
        if (colon >= 0 && colon > nameAndTag.LastIndexOf('/'))
        {
            if (!IsTag(nameAndTag.AsSpan(colon + 1)))
            {
                return false;
            }
            tag = nameAndTag[(colon + 1)..];
            nameAndTag = nameAndTag[..colon];
        }

        if (!TrySplitName(nameAndTag, out _, out _))
        {
            return false;
        }
        name = nameAndTag;
        return true;
    }

    /// <summary>True when Go's <c>strings.ToLower(s) != s</c>.</summary>
    /// <remarks>
    /// Uses the runtime's Unicode case tables. Letters added in Unicode 14 and later (Vithkuqi, some
    /// Latin Extended-D capitals) count as uppercase here, as they do in Docker built with Go 1.21 or
    /// later (Unicode 15); Go 1.19 (Unicode 13) does not know them and reports "invalid reference
    /// format" instead of the lowercase message. Either way the input is rejected.
    /// </remarks>
    public static bool HasUppercase(string s)
    {
        foreach (Rune r in s.EnumerateRunes())
        {
            int v = r.Value;
            if (v < 0x80)
            {
                if (v is >= 'A' and <= 'Z')
                {
                    return true;
                }
            }
            else if (v == 0x130 || Rune.ToLowerInvariant(r) != r)
            {
                // U+0130 lowercases to 'i' in Go; .NET's invariant casing leaves it alone.
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Go's <c>strings.ToLower</c> as far as it can matter to the ASCII-only grammar: A-Z, the Kelvin
    /// sign (→ k) and the capital I with dot (→ i) become ASCII; every other non-ASCII character stays
    /// non-ASCII, so it is left unchanged.
    /// </summary>
    public static string ToLowerForGrammar(string s)
    {
        return string.Create(s.Length, s, static (span, src) =>
        {
            for (int i = 0; i < src.Length; i++)
            {
                char c = src[i];
                span[i] = c switch
                {
                    >= 'A' and <= 'Z' => (char)(c + ('a' - 'A')),
                    '\u212A' => 'k',
                    '\u0130' => 'i',
                    _ => c,
                };
            }
        });
    }
}
