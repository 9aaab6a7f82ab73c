using System.Text.RegularExpressions;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentPS.HelpBuilder.Markdown;

/// <summary>Reads a platyPS-schema cmdlet page through Markdig's syntax tree.</summary>
internal static partial class CommandPageParser
{
    public static CommandPage Parse(string path, string markdown)
    {
        var page = new CommandPage { Path = path };
        var state = new State(page);
        foreach (var block in Markdig.Markdown.Parse(markdown, MarkdownPipelines.Help)) state.Visit(block);
        FindPlaceholders(page, markdown);
        return page;
    }

    public static CommandPage Load(string path) => Parse(path, File.ReadAllText(path));

    [GeneratedRegex(@"\{\{.*?\}\}")]
    internal static partial Regex Placeholder();

    private static void FindPlaceholders(CommandPage page, string markdown)
    {
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match match in Placeholder().Matches(lines[i])) page.Placeholders.Add(new TextBlock(match.Value, i + 1));
        }
    }

    private sealed class State(CommandPage page)
    {
        private string section = string.Empty;
        private ExampleDoc? example;
        private ParameterDoc? parameter;
        private TypeDoc? type;
        private string? syntaxSet;
        private bool inCommonParameters;

        public void Visit(Block block)
        {
            var line = block.Line + 1;
            switch (block)
            {
                case YamlFrontMatterBlock yaml:
                    page.HasFrontMatter = true;
                    SimpleYaml.ReadInto(page.FrontMatter, yaml.Lines.Lines.Take(yaml.Lines.Count).Select(l => l.ToString()));
                    break;
                case HeadingBlock { Level: 1 } heading when page.Title is null:
                    page.Title = PlainText.Of(heading.Inline);
                    page.TitleLine = line;
                    break;
                case HeadingBlock { Level: 2 } heading:
                    section = PlainText.Of(heading.Inline).ToUpperInvariant();
                    page.Sections.TryAdd(section, line);
                    example = null; parameter = null; type = null; syntaxSet = null; inCommonParameters = false;
                    break;
                case HeadingBlock { Level: 3 } heading:
                    OpenSubsection(PlainText.Of(heading.Inline), line);
                    break;
                case FencedCodeBlock fenced:
                    AddCode(fenced, line);
                    break;
                case ListBlock list:
                    var ordered = list.IsOrdered;
                    var number = 1;
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var text = string.Join("\n", item.OfType<LeafBlock>().Select(PlainText.Of));
                        AddText(new TextBlock((ordered ? $"{number++}. " : "- ") + text, item.Line + 1), item);
                    }
                    break;
                case Table table:
                    var rows = PlainText.RowsOf(table).Select(cells => string.Join(" | ", cells));
                    AddText(new TextBlock(string.Join("\n", rows), line, IsCode: true), table);
                    break;
                case LeafBlock leaf:
                    AddText(new TextBlock(PlainText.Of(leaf), line, leaf is CodeBlock), leaf);
                    break;
                case ContainerBlock container:
                    foreach (var child in container) Visit(child);
                    break;
            }
        }

        private void OpenSubsection(string title, int line)
        {
            switch (section)
            {
                case "SYNTAX":
                    syntaxSet = title;
                    break;
                case "EXAMPLES":
                    example = new ExampleDoc(title, line);
                    page.Examples.Add(example);
                    break;
                case "PARAMETERS" when title.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase):
                    parameter = null;
                    inCommonParameters = true;
                    page.HasCommonParameters = true;
                    break;
                case "PARAMETERS":
                    inCommonParameters = false;
                    parameter = new ParameterDoc(title.TrimStart('-').Trim(), line);
                    page.Parameters.Add(parameter);
                    break;
                case "INPUTS":
                    type = new TypeDoc(title, line);
                    page.Inputs.Add(type);
                    break;
                case "OUTPUTS":
                    type = new TypeDoc(title, line);
                    page.Outputs.Add(type);
                    break;
                default:
                    Target()?.Add(new TextBlock(title.ToUpperInvariant(), line));
                    break;
            }
        }

        private void AddCode(FencedCodeBlock fenced, int line)
        {
            var info = (fenced.Info ?? string.Empty).Trim().ToLowerInvariant();
            var code = new TextBlock(PlainText.CodeOf(fenced), line, IsCode: true);
            switch (section)
            {
                case "SYNTAX":
                    page.Syntax.Add(new SyntaxDoc(syntaxSet ?? string.Empty, line, code.Text));
                    break;
                case "EXAMPLES" when example is not null:
                    (IsOutput(info) ? example.Output : example.Code).Add(code);
                    break;
                case "PARAMETERS" when parameter is not null && info == "yaml":
                    parameter.YamlLine = line;
                    SimpleYaml.ReadInto(parameter.Yaml, code.Text.Split('\n'));
                    break;
                default:
                    Target()?.Add(code);
                    break;
            }
        }

        private static bool IsOutput(string info) => info is "text" or "output" or "console" or "txt";

        private void AddText(TextBlock text, Block block)
        {
            if (section == "RELATED LINKS")
            {
                var leaves = block is LeafBlock single ? [single] : block.Descendants<LeafBlock>();
                var links = leaves.Where(leaf => leaf.Inline is not null).SelectMany(leaf => leaf.Inline!.Descendants<LinkInline>());
                foreach (var link in links.Where(link => !link.IsImage))
                {
                    page.RelatedLinks.Add(new LinkDoc(PlainText.LabelOf(link), link.Url ?? string.Empty, text.Line));
                }
                return;
            }
            Target()?.Add(text);
        }

        private List<TextBlock>? Target() => section switch
        {
            "SYNOPSIS" => page.Synopsis,
            "DESCRIPTION" => page.Description,
            "EXAMPLES" => example?.Remarks,
            "PARAMETERS" => inCommonParameters ? null : parameter?.Description,
            "INPUTS" or "OUTPUTS" => type?.Description,
            "NOTES" => page.Notes,
            _ => null,
        };
    }
}
