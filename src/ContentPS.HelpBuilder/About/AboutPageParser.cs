using ContentPS.HelpBuilder.Markdown;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace ContentPS.HelpBuilder.About;

internal static class AboutPageParser
{
    public static AboutPage Load(string path) => Parse(path, File.ReadAllText(path));

    public static AboutPage Parse(string path, string markdown)
    {
        var page = new AboutPage { Path = path };
        foreach (var block in Markdig.Markdown.Parse(markdown, MarkdownPipelines.Help)) Visit(page, block);
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (System.Text.RegularExpressions.Match match in CommandPageParser.Placeholder().Matches(lines[i]))
            {
                page.Placeholders.Add((match.Value, i + 1));
            }
        }
        return page;
    }

    private static void Visit(AboutPage page, Block block)
    {
        var line = block.Line + 1;
        switch (block)
        {
            case YamlFrontMatterBlock:
                break;
            case HeadingBlock { Level: 1 } heading when page.Title is null:
                page.Title = PlainText.Of(heading.Inline);
                page.TitleLine = line;
                break;
            case HeadingBlock heading:
                page.Elements.Add(new AboutHeading(heading.Level, PlainText.Of(heading.Inline), line));
                break;
            case FencedCodeBlock or CodeBlock:
                page.Elements.Add(new AboutCode(PlainText.CodeOf((LeafBlock)block), line));
                break;
            case ListBlock list:
                var number = 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var text = string.Join(" ", item.OfType<LeafBlock>().Select(PlainText.Of));
                    page.Elements.Add(new AboutListItem(list.IsOrdered ? $"{number++}." : "-", text, item.Line + 1));
                    foreach (var nested in item.OfType<ListBlock>()) Visit(page, nested);
                }
                break;
            case Table table:
                page.Elements.Add(new AboutTable(PlainText.RowsOf(table), line));
                break;
            case LeafBlock leaf:
                page.Elements.Add(new AboutParagraph(PlainText.Of(leaf), line));
                break;
            case ContainerBlock container:
                foreach (var child in container) Visit(page, child);
                break;
        }
    }
}
