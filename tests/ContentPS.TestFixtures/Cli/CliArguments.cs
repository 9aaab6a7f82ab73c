namespace ContentPS.TestFixtures.Cli;

/// <summary>Positional words and "--name value" options of one CLI command.</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _positionals = [];

    public CliArguments(IEnumerable<string> arguments)
    {
        using var e = arguments.GetEnumerator();
        while (e.MoveNext())
        {
            var word = e.Current;
            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var name = word[2..];
                var equals = name.IndexOf('=', StringComparison.Ordinal);
                if (equals >= 0)
                {
                    _options[name[..equals]] = name[(equals + 1)..];
                }
                else
                {
                    _options[name] = e.MoveNext() ? e.Current : throw new CliUsageException($"Option --{name} needs a value.");
                }
            }
            else
            {
                _positionals.Add(word);
            }
        }
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public string? Optional(string name) => _options.GetValueOrDefault(name);

    public string Required(string name) => Optional(name) ?? throw new CliUsageException($"Option --{name} is required.");

    public long? OptionalInt64(string name) =>
        Optional(name) is { } text
            ? long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new CliUsageException($"Option --{name} must be an integer, not '{text}'.")
            : null;
}
