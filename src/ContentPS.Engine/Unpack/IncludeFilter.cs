namespace ContentPS.Engine.Unpack;

/// <summary>
/// The <c>Include</c> patterns of an unpack: paths inside the image, the leading <c>/</c> optional, <c>*</c> and
/// <c>?</c> matching within one name, <c>**</c> matching any number of names. An entry is included when a pattern
/// matches it or one of its parent directories, so <c>etc/ssl</c> and <c>/etc/ssl/**</c> both take the subtree.
/// </summary>
internal sealed class IncludeFilter
{
    private readonly List<string[]> _patterns;

    public IncludeFilter(IReadOnlyList<string> patterns)
    {
        _patterns = patterns
            .Select(p => p.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray())
            .ToList();
        if (_patterns.Any(p => p.Length == 0))
        {
            _patterns.Clear(); // "/" includes everything
            IsEverything = true;
        }

        IsEverything |= _patterns.Count == 0;
    }

    public bool IsEverything { get; }

    public bool Includes(IReadOnlyList<string> components) =>
        IsEverything || _patterns.Any(p => MatchesPrefix(p, 0, components, 0));

    // True when pattern[pi..] matches components[ci..k] for some k: a match of the entry or of one of its parents.
    private static bool MatchesPrefix(string[] pattern, int pi, IReadOnlyList<string> components, int ci)
    {
        if (pi == pattern.Length)
        {
            return true;
        }

        if (pattern[pi] == "**")
        {
            for (var skip = ci; skip <= components.Count; skip++)
            {
                if (MatchesPrefix(pattern, pi + 1, components, skip))
                {
                    return true;
                }
            }

            return false;
        }

        return ci < components.Count && NameMatches(pattern[pi], components[ci]) && MatchesPrefix(pattern, pi + 1, components, ci + 1);
    }

    // Glob over one name: '*' any run of characters, '?' one character, anything else itself.
    private static bool NameMatches(string pattern, string name)
    {
        int p = 0, n = 0, star = -1, resume = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
