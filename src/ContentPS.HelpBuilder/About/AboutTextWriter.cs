using System.Text;

namespace ContentPS.HelpBuilder.About;

/// <summary>Renders an about page as the plain text file Get-Help about_* prints.</summary>
internal static class AboutTextWriter
{
    public const int Width = 80;
    private const string Body = "    ";

    public static string Render(AboutPage page)
    {
        var text = new StringBuilder();
        text.Append("TOPIC\n").Append(Body).Append(page.Title).Append('\n');
        AboutElement? previous = null;
        foreach (var element in page.Elements)
        {
            if (previous is AboutListItem && element is not AboutListItem) text.Append('\n');
            previous = element;
            switch (element)
            {
                case AboutHeading { Level: 2 } heading:
                    text.Append('\n').Append(heading.Text.ToUpperInvariant()).Append('\n');
                    break;
                case AboutHeading heading:
                    text.Append('\n').Append("  ").Append(heading.Text).Append('\n');
                    break;
                case AboutParagraph paragraph:
                    AppendWrapped(text, paragraph.Text, Body, Body);
                    text.Append('\n');
                    break;
                case AboutListItem item:
                    var marker = Body + item.Marker + " ";
                    AppendWrapped(text, item.Text, marker, new string(' ', marker.Length));
                    break;
                case AboutCode code:
                    foreach (var line in code.Text.Split('\n')) text.Append((Body + Body + line).TrimEnd()).Append('\n');
                    text.Append('\n');
                    break;
                case AboutTable table:
                    AppendTable(text, table.Rows);
                    text.Append('\n');
                    break;
            }
        }
        return NormalizeBlankLines(text.ToString());
    }

    private static void AppendWrapped(StringBuilder text, string paragraph, string firstIndent, string indent)
    {
        foreach (var (hardLine, index) in paragraph.Split('\n').Select((l, i) => (l, i)))
        {
            var line = new StringBuilder(index == 0 ? firstIndent : indent);
            var empty = true;
            foreach (var word in hardLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > Width)
                {
                    text.Append(line).Append('\n');
                    line.Clear().Append(indent);
                    empty = true;
                }
                if (!empty) line.Append(' ');
                line.Append(word);
                empty = false;
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }

    private static void AppendTable(StringBuilder text, List<List<string>> rows)
    {
        if (rows.Count == 0) return;
        var columns = rows.Max(row => row.Count);
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(row => c < row.Count ? row[c].Length : 0)).ToArray();
        if (Body.Length + widths.Sum() + 2 * (columns - 1) > Width)
        {
            AppendTableAsRecords(text, rows, columns);
            return;
        }
        for (var r = 0; r < rows.Count; r++)
        {
            var cells = Enumerable.Range(0, columns).Select(c => (c < rows[r].Count ? rows[r][c] : string.Empty).PadRight(widths[c]));
            text.Append(Body).Append(string.Join("  ", cells).TrimEnd()).Append('\n');
            if (r == 0) text.Append(Body).Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        }
    }

    /// <summary>
    /// A table too wide for the page: one block per row, titled by its first cell, with the other
    /// cells wrapped under their column headers.
    /// </summary>
    private static void AppendTableAsRecords(StringBuilder text, List<List<string>> rows, int columns)
    {
        var header = rows[0];
        string Label(int c) => (c < header.Count ? header[c] : string.Empty) + ":";
        var labelWidth = Enumerable.Range(1, columns - 1).Max(c => Label(c).Length) + 1;
        var indent = Body + "  ";
        foreach (var row in rows.Skip(1))
        {
            text.Append(Body).Append(row.Count > 0 ? row[0] : string.Empty).Append('\n');
            for (var c = 1; c < row.Count; c++)
            {
                if (row[c].Length == 0) continue;
                AppendWrapped(text, row[c], indent + Label(c).PadRight(labelWidth), new string(' ', indent.Length + labelWidth));
            }
            text.Append('\n');
        }
    }

    private static string NormalizeBlankLines(string text)
    {
        while (text.Contains("\n\n\n", StringComparison.Ordinal)) text = text.Replace("\n\n\n", "\n\n", StringComparison.Ordinal);
        return text.TrimEnd('\n') + "\n";
    }
}
