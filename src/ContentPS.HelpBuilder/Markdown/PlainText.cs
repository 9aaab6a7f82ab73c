using System.Text;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentPS.HelpBuilder.Markdown;

/// <summary>Renders Markdig inlines and leaf blocks as the plain text help shows.</summary>
internal static class PlainText
{
    public static string Of(ContainerInline? inlines)
    {
        if (inlines is null) return string.Empty;
        var text = new StringBuilder();
        Append(text, inlines);
        return text.ToString().Trim();
    }

    /// <summary>The visible text of a link, without its address.</summary>
    public static string LabelOf(LinkInline link)
    {
        var text = new StringBuilder();
        AppendChildren(text, link);
        return text.ToString().Trim();
    }

    public static string Of(LeafBlock block) => block switch
    {
        FencedCodeBlock or CodeBlock => CodeOf(block),
        _ => Of(block.Inline),
    };

    public static string CodeOf(LeafBlock block) => string.Join('\n', block.Lines.Lines.Take(block.Lines.Count).Select(line => line.ToString())).TrimEnd();

    /// <summary>Rows of cell text of a pipe table; the first row is the header.</summary>
    public static List<List<string>> RowsOf(Table table) =>
        table.OfType<TableRow>()
            .Select(row => row.OfType<TableCell>()
                .Select(cell => string.Join(' ', cell.OfType<LeafBlock>().Select(Of)))
                .ToList())
            .ToList();

    private static void Append(StringBuilder text, Inline inline)
    {
        switch (inline)
        {
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case LineBreakInline lineBreak:
                text.Append(lineBreak.IsHard ? "\n" : " ");
                break;
            case AutolinkInline autolink:
                text.Append(autolink.Url);
                break;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.ToString());
                break;
            case HtmlInline html:
                text.Append(html.Tag);
                break;
            case LinkInline link:
                var start = text.Length;
                AppendChildren(text, link);
                var label = text.ToString(start, text.Length - start);
                if (!link.IsImage && link.Url is { Length: > 0 } url && !url.StartsWith('#') && label != url) text.Append(" (").Append(url).Append(')');
                break;
            case ContainerInline container:
                AppendChildren(text, container);
                break;
        }
    }

    private static void AppendChildren(StringBuilder text, ContainerInline container)
    {
        foreach (var child in container) Append(text, child);
    }
}
