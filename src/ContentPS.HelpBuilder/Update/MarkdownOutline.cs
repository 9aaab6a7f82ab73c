namespace ContentPS.HelpBuilder.Update;

/// <summary>ATX headings of a markdown file by line index, fenced code ignored: where --update inserts text.</summary>
internal sealed class MarkdownOutline
{
    public sealed record Heading(int Level, string Text, int Index);

    public List<Heading> Headings { get; } = [];

    public MarkdownOutline(IReadOnlyList<string> lines)
    {
        string? fence = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].TrimStart();
            if (fence is not null)
            {
                if (line.StartsWith(fence, StringComparison.Ordinal)) fence = null;
                continue;
            }
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = line[..3];
                continue;
            }
            var level = line.TakeWhile(c => c == '#').Count();
            if (level is >= 1 and <= 6 && line.Length > level && line[level] == ' ') Headings.Add(new Heading(level, line[level..].Trim(), i));
        }
    }

    public Heading? Section(string name) =>
        Headings.FirstOrDefault(h => h.Level == 2 && h.Text.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Index of the first line after the section's body (the next level-1/2 heading, or the end).</summary>
    public int EndOf(Heading section, int lineCount) =>
        Headings.FirstOrDefault(h => h.Index > section.Index && h.Level <= 2)?.Index ?? lineCount;

    public Heading? SubsectionIn(Heading section, int lineCount, Func<string, bool> match)
    {
        var end = EndOf(section, lineCount);
        return Headings.FirstOrDefault(h => h.Index > section.Index && h.Index < end && h.Level == 3 && match(h.Text));
    }
}
