using ContentPS.HelpBuilder.Metadata;

namespace ContentPS.HelpBuilder.Update;

/// <summary>
/// --update: regenerates SYNTAX from metadata and adds missing parameter sections (with a placeholder the
/// checker rejects until a person writes the description). It only adds; prose is never removed.
/// </summary>
internal static class PageUpdater
{
    /// <summary>The updated text and what changed; the text is unchanged when nothing was to do.</summary>
    public static (string Text, List<string> Changes) Update(string markdown, CommandMetadata command)
    {
        var newline = markdown.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        var changes = new List<string>();
        AddParameters(lines, command, changes);
        RegenerateSyntax(lines, command, changes);
        var text = string.Join(newline, lines);
        return (text, changes);
    }

    private static void RegenerateSyntax(List<string> lines, CommandMetadata command, List<string> changes)
    {
        var outline = new MarkdownOutline(lines);
        var generated = MarkdownGenerator.SyntaxBlocks(command);
        if (outline.Section("SYNTAX") is not { } syntax)
        {
            var before = outline.Section("DESCRIPTION") ?? outline.Section("EXAMPLES");
            var at = before?.Index ?? lines.Count;
            lines.InsertRange(at, ["## SYNTAX", "", .. generated]);
            changes.Add("added SYNTAX");
            return;
        }
        var start = syntax.Index + 1;
        var end = outline.EndOf(syntax, lines.Count);
        var body = lines.GetRange(start, end - start);
        // Current blocks (whatever their set headings say) are left alone: only stale syntax is rewritten.
        if (CodeOf(body).SequenceEqual(command.ParameterSets.Select(set => Collapse(set.Syntax)))) return;
        var replacement = new List<string> { "" };
        replacement.AddRange(generated);
        replacement.AddRange(ProseOf(body));
        if (Normalize(body).SequenceEqual(Normalize(replacement))) return;
        lines.RemoveRange(start, end - start);
        lines.InsertRange(start, replacement);
        changes.Add("regenerated SYNTAX");
    }

    /// <summary>Lines of a SYNTAX body that are neither set headings nor code: kept after the generated blocks.</summary>
    private static List<string> ProseOf(List<string> body)
    {
        var prose = new List<string>();
        var inFence = false;
        foreach (var line in body)
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)) { inFence = !inFence; continue; }
            if (inFence || trimmed.StartsWith("### ", StringComparison.Ordinal)) continue;
            if (trimmed.Length > 0 || (prose.Count > 0 && prose[^1].Length > 0)) prose.Add(line);
        }
        if (prose.Count > 0 && prose[^1].Length > 0) prose.Add("");
        return prose;
    }

    private static List<string> CodeOf(List<string> body)
    {
        var blocks = new List<string>();
        List<string>? current = null;
        foreach (var line in body)
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                if (current is null) { current = []; continue; }
                blocks.Add(Collapse(string.Join(' ', current)));
                current = null;
                continue;
            }
            current?.Add(line);
        }
        return blocks;
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static IEnumerable<string> Normalize(IEnumerable<string> lines) => lines.Select(l => l.TrimEnd()).Where(l => l.Length > 0);

    private static void AddParameters(List<string> lines, CommandMetadata command, List<string> changes)
    {
        var outline = new MarkdownOutline(lines);
        var parameters = outline.Section("PARAMETERS");
        if (parameters is null)
        {
            var before = outline.Section("INPUTS") ?? outline.Section("OUTPUTS") ?? outline.Section("NOTES") ?? outline.Section("RELATED LINKS");
            lines.InsertRange(before?.Index ?? lines.Count, ["## PARAMETERS", ""]);
            changes.Add("added PARAMETERS");
            outline = new MarkdownOutline(lines);
            parameters = outline.Section("PARAMETERS")!;
        }
        var documented = outline.Headings
            .Where(h => h.Level == 3 && h.Index > parameters.Index && h.Index < outline.EndOf(parameters, lines.Count))
            .Select(h => h.Text.TrimStart('-').Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var common = outline.SubsectionIn(parameters, lines.Count, text => text.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase));
        var insertAt = common?.Index ?? outline.EndOf(parameters, lines.Count);
        var added = new List<string>();
        foreach (var parameter in command.Parameters.Where(p => !documented.Contains(p.Name)))
        {
            added.AddRange(MarkdownGenerator.ParameterSection(command, parameter));
            changes.Add($"added -{parameter.Name}");
        }
        if (common is null && command.HasCommonParameters)
        {
            added.AddRange(MarkdownGenerator.CommonParametersSection());
            changes.Add("added CommonParameters");
        }
        if (added.Count == 0) return;
        if (insertAt > 0 && lines[insertAt - 1].Trim().Length > 0) added.Insert(0, "");
        lines.InsertRange(insertAt, added);
    }
}
