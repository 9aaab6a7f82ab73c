using System.Text.RegularExpressions;

namespace ContentPS.TestFixtures;

/// <summary>The rules of one proxy, tried in order; thread-safe.</summary>
internal sealed class FaultRuleTable
{
    private readonly object _gate = new();
    private readonly List<Entry> _entries = [];
    private int _nextId;

    public int Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        lock (_gate)
        {
            var entry = new Entry(++_nextId, rule, new Regex(rule.Path, RegexOptions.CultureInvariant));
            _entries.Add(entry);
            return entry.Id;
        }
    }

    /// <summary>The first rule that matches and is not used up, counted as used once more; null when none applies.</summary>
    public (int Id, FaultRule Rule)? Take(string method, string target)
    {
        lock (_gate)
        {
            foreach (var entry in _entries)
            {
                if ((entry.Rule.Method is null || string.Equals(entry.Rule.Method, method, StringComparison.OrdinalIgnoreCase))
                    && (entry.Rule.Times is null || entry.Hits < entry.Rule.Times)
                    && entry.Pattern.IsMatch(target))
                {
                    entry.Hits++;
                    return (entry.Id, entry.Rule);
                }
            }

            return null;
        }
    }

    /// <summary>How many requests rule <paramref name="id"/> applied to (0 for an unknown or cleared id).</summary>
    public int Hits(int id)
    {
        lock (_gate)
        {
            return _entries.FirstOrDefault(e => e.Id == id)?.Hits ?? 0;
        }
    }

    public IReadOnlyList<(int Id, int Hits, FaultRule Rule)> Snapshot()
    {
        lock (_gate)
        {
            return _entries.Select(e => (e.Id, e.Hits, e.Rule)).ToList();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    private sealed class Entry(int id, FaultRule rule, Regex pattern)
    {
        public int Id { get; } = id;

        public FaultRule Rule { get; } = rule;

        public Regex Pattern { get; } = pattern;

        public int Hits { get; set; }
    }
}
