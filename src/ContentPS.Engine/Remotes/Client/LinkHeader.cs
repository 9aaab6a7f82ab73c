namespace ContentPS.Engine.Remotes.Client;

/// <summary>The <c>rel="next"</c> target of RFC 8288 <c>Link</c> headers, as the tags and referrers APIs paginate.</summary>
internal static class LinkHeader
{
    /// <summary>The absolute URL of the first link whose <c>rel</c> includes <c>next</c>; relative links are resolved against <paramref name="requestUri"/>. Null when there is none.</summary>
    public static Uri? FindNext(IEnumerable<string> headerValues, Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        ArgumentNullException.ThrowIfNull(requestUri);
        foreach (var value in headerValues)
        {
            foreach (var (target, parameters) in Parse(value))
            {
                if (HasNextRelation(parameters) && Uri.TryCreate(requestUri, target, out var next)
                    && (next.Scheme == Uri.UriSchemeHttp || next.Scheme == Uri.UriSchemeHttps))
                {
                    return next;
                }
            }
        }

        return null;
    }

    /// <summary>The links of one header value: <c>&lt;target&gt;; name=value; name="quoted, value"</c>, comma-separated.</summary>
    internal static IEnumerable<(string Target, IReadOnlyList<(string Name, string Value)> Parameters)> Parse(string value)
    {
        int i = 0;
        while (i < value.Length)
        {
            int open = value.IndexOf('<', i);
            if (open < 0)
            {
                yield break;
            }

            int close = value.IndexOf('>', open + 1);
            if (close < 0)
            {
                yield break;
            }

            var target = value[(open + 1)..close].Trim();
            var parameters = new List<(string, string)>();
            i = close + 1;
            while (i < value.Length && value[i] != ',')
            {
                if (value[i] is ';' or ' ' or '\t')
                {
                    i++;
                    continue;
                }

                int nameStart = i;
                while (i < value.Length && value[i] is not ('=' or ';' or ','))
                {
                    i++;
                }

                var name = value[nameStart..i].Trim();
                var parameterValue = string.Empty;
                if (i < value.Length && value[i] == '=')
                {
                    i++;
                    (parameterValue, i) = ReadParameterValue(value, i);
                }

                parameters.Add((name, parameterValue));
            }

            i++;
            yield return (target, parameters);
        }
    }

    private static (string Value, int Next) ReadParameterValue(string text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        if (i < text.Length && text[i] == '"')
        {
            var quoted = new System.Text.StringBuilder();
            i++;
            while (i < text.Length && text[i] != '"')
            {
                if (text[i] == '\\' && i + 1 < text.Length)
                {
                    i++;
                }

                quoted.Append(text[i]);
                i++;
            }

            return (quoted.ToString(), Math.Min(i + 1, text.Length));
        }

        int start = i;
        while (i < text.Length && text[i] is not (';' or ','))
        {
            i++;
        }

        return (text[start..i].Trim(), i);
    }

    // rel may list several relation types separated by spaces (rel="next last").
    private static bool HasNextRelation(IReadOnlyList<(string Name, string Value)> parameters) =>
        parameters.Any(p => p.Name.Equals("rel", StringComparison.OrdinalIgnoreCase)
            && p.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(r => r.Equals("next", StringComparison.OrdinalIgnoreCase)));
}
