using ContentPS.Engine.Errdefs;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace ContentPS.Engine.Remotes.Hosts;

/// <summary>
/// One table of a parsed hosts.toml with typed reads that fail as <c>InvalidHostsConfiguration</c>
/// naming the file and the line of the key, and a list of the keys no read asked for.
/// </summary>
internal sealed class HostsTomlTable
{
    private readonly TomlTable _table;
    private readonly ITomlMetadataStore _metadata;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public HostsTomlTable(string path, TomlTable table, ITomlMetadataStore metadata, int line)
    {
        Path = path;
        _table = table;
        _metadata = metadata;
        Line = line;
    }

    /// <summary>The hosts.toml file.</summary>
    public string Path { get; }

    /// <summary>The 1-based line where this table starts (its header, or 1 for the root).</summary>
    public int Line { get; }

    /// <summary>The keys in file order.</summary>
    public IEnumerable<string> Keys => _table.Keys;

    /// <summary>The 1-based line of <paramref name="key"/>, or this table's line when unknown.</summary>
    public int LineOf(string key) =>
        _metadata.TryGetProperties(_table, out var properties) && properties is not null
        && properties.TryGetProperty(key, out var property) && property is not null
            ? property.Span.Start.Line + 1
            : Line;

    /// <summary>The raw value of <paramref name="key"/> (string, bool, long, <see cref="TomlArray"/>, <see cref="TomlTable"/>…), or null when absent.</summary>
    public object? Value(string key)
    {
        _read.Add(key);
        return _table.TryGetValue(key, out var value) ? value : null;
    }

    public string? String(string key) => Value(key) switch
    {
        null => null,
        string text => text,
        var other => throw WrongType(key, "a string", other),
    };

    public bool? Boolean(string key) => Value(key) switch
    {
        null => null,
        bool flag => flag,
        var other => throw WrongType(key, "true or false", other),
    };

    /// <summary>A string or an array of strings (<c>ca = "a.pem"</c>, <c>ca = ["a.pem", "b.pem"]</c>) as a list; empty when absent.</summary>
    public IReadOnlyList<string> StringOrStrings(string key) => Value(key) switch
    {
        null => [],
        string text => [text],
        TomlArray array => Strings(key, array),
        var other => throw WrongType(key, "a string or an array of strings", other),
    };

    /// <summary>The items of <paramref name="array"/> (the value of <paramref name="key"/>), which must all be strings.</summary>
    public IReadOnlyList<string> Strings(string key, TomlArray array) =>
        array.Select(item => item as string ?? throw WrongType(key, "an array of strings", item)).ToArray();

    /// <summary>The sub-table at <paramref name="key"/>, or null when absent.</summary>
    public HostsTomlTable? Table(string key) => Value(key) switch
    {
        null => null,
        TomlTable table => new HostsTomlTable(Path, table, _metadata, LineOf(key)),
        var other => throw WrongType(key, "a table", other),
    };

    /// <summary>The keys present that no read asked for, in file order.</summary>
    public IEnumerable<string> UnreadKeys => _table.Keys.Where(k => !_read.Contains(k));

    /// <summary>An <c>InvalidHostsConfiguration</c> error about <paramref name="key"/>.</summary>
    public ClassifiedException Invalid(string key, string problem) => HostsFileErrors.Invalid(Path, LineOf(key), problem);

    private ClassifiedException WrongType(string key, string expected, object? actual) =>
        Invalid(key, $"\"{key}\" must be {expected}, not {Describe(actual)}");

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        string => "a string",
        bool => "a boolean",
        long or int => "an integer",
        double => "a float",
        TomlArray => "an array",
        TomlTable => "a table",
        TomlTableArray => "an array of tables",
        _ => "a date or time",
    };
}
