namespace ContentPS.Engine.Remotes.Auth;

/// <summary>
/// Parses <c>WWW-Authenticate</c> values: several challenges in one header or in several headers,
/// parameters with token or quoted-string values (backslash escapes), token68 credentials, and
/// whitespace around <c>=</c> and commas. Malformed parts are skipped, never thrown on: a
/// registry's odd header must not hide the challenges that can be read.
/// </summary>
public static class AuthChallengeParser
{
    /// <summary>The challenges of every <c>WWW-Authenticate</c> header of <paramref name="response"/>, in order.</summary>
    public static IReadOnlyList<AuthChallenge> Parse(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values)
            ? Parse(values)
            : [];
    }

    public static IReadOnlyList<AuthChallenge> Parse(IEnumerable<string> headerValues)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        var challenges = new List<AuthChallenge>();
        foreach (var value in headerValues)
        {
            challenges.AddRange(Parse(value));
        }

        return challenges;
    }

    public static IReadOnlyList<AuthChallenge> Parse(string headerValue)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        var reader = new Reader(headerValue);
        var challenges = new List<AuthChallenge>();
        while (true)
        {
            reader.SkipSeparators();
            if (reader.AtEnd)
            {
                return challenges;
            }

            var scheme = reader.ReadToken();
            if (scheme.Length == 0)
            {
                reader.SkipToNextComma();
                continue;
            }

            reader.SkipSpaces();
            if (reader.TryReadToken68() is { } token68)
            {
                challenges.Add(new AuthChallenge(scheme, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), token68));
                continue;
            }

            challenges.Add(new AuthChallenge(scheme, ReadParameters(reader)));
        }
    }

    // auth-param *( "," auth-param ); stops before a token that is not followed by "=" (the next challenge).
    private static Dictionary<string, string> ReadParameters(Reader reader)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            int start = reader.Position;
            reader.SkipSeparators();
            var name = reader.ReadToken();
            reader.SkipSpaces();
            if (name.Length == 0 || !reader.TryConsume('='))
            {
                reader.Position = start;
                return parameters;
            }

            reader.SkipSpaces();
            var value = reader.Peek == '"' ? reader.ReadQuotedString() : reader.ReadBareValue();
            parameters.TryAdd(name, value);
            reader.SkipSpaces();
            if (!reader.AtEnd && reader.Peek != ',')
            {
                // Garbage after a value: drop the rest of this element.
                reader.SkipToNextComma();
            }
        }
    }

    private sealed class Reader(string text)
    {
        // RFC 7230 tchar.
        private const string TokenSymbols = "!#$%&'*+-.^_`|~";
        private const string Token68Symbols = "-._~+/";

        public int Position { get; set; }

        public bool AtEnd => Position >= text.Length;

        public char Peek => AtEnd ? '\0' : text[Position];

        public void SkipSpaces()
        {
            while (!AtEnd && (text[Position] == ' ' || text[Position] == '\t'))
            {
                Position++;
            }
        }

        public void SkipSeparators()
        {
            while (!AtEnd && (text[Position] is ' ' or '\t' or ','))
            {
                Position++;
            }
        }

        public void SkipToNextComma()
        {
            bool quoted = false;
            while (!AtEnd && (quoted || text[Position] != ','))
            {
                if (text[Position] == '"') quoted = !quoted;
                else if (quoted && text[Position] == '\\' && Position + 1 < text.Length) Position++;
                Position++;
            }
        }

        public bool TryConsume(char c)
        {
            if (Peek != c || AtEnd)
            {
                return false;
            }

            Position++;
            return true;
        }

        public string ReadToken()
        {
            int start = Position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(text[Position]) || TokenSymbols.Contains(text[Position])))
            {
                Position++;
            }

            return text[start..Position];
        }

        // A value without quotes: RFC 7230 allows a token only, but registries send unquoted URLs too.
        public string ReadBareValue()
        {
            int start = Position;
            while (!AtEnd && text[Position] is not (',' or ' ' or '\t' or '"'))
            {
                Position++;
            }

            return text[start..Position];
        }

        // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=", alone up to a comma or the end.
        public string? TryReadToken68()
        {
            int start = Position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(text[Position]) || Token68Symbols.Contains(text[Position])))
            {
                Position++;
            }

            int body = Position;
            while (!AtEnd && text[Position] == '=')
            {
                Position++;
            }

            int end = Position;
            SkipSpaces();
            // "name=value" is a parameter: token68 stands alone up to a comma or the end of the header.
            if (body > start && (AtEnd || Peek == ','))
            {
                return text[start..end];
            }

            Position = start;
            return null;
        }

        public string ReadQuotedString()
        {
            Position++; // opening quote
            var value = new System.Text.StringBuilder();
            while (!AtEnd && text[Position] != '"')
            {
                if (text[Position] == '\\' && Position + 1 < text.Length)
                {
                    Position++;
                }

                value.Append(text[Position]);
                Position++;
            }

            if (!AtEnd)
            {
                Position++; // closing quote; an unterminated string ends with the header
            }

            return value.ToString();
        }
    }
}
