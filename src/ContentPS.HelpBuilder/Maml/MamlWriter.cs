using System.Text;
using System.Xml;
using System.Xml.Linq;
using ContentPS.HelpBuilder.Markdown;
using ContentPS.HelpBuilder.Metadata;
using static ContentPS.HelpBuilder.Maml.MamlNames;

namespace ContentPS.HelpBuilder.Maml;

/// <summary>
/// Writes MAML help (the &lt;Assembly&gt;-Help.xml that Get-Help reads) from cmdlet pages and metadata.
/// Prose comes from the page; parameter facts (required, position, pipeline, aliases, type) from metadata.
/// </summary>
internal static class MamlWriter
{
    public static XDocument Build(IEnumerable<(CommandPage Page, CommandMetadata Command)> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems",
                new XAttribute("schema", "maml"),
                commands.Select(pair => CommandElement(pair.Page, pair.Command))));

    public static void Save(XDocument document, string path)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var writer = XmlWriter.Create(path, settings);
        document.Save(writer);
    }

    public static XElement CommandElement(CommandPage page, CommandMetadata command) =>
        new(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", MamlNs),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", command.Name),
                new XElement(Command + "verb", command.Verb),
                new XElement(Command + "noun", command.Noun),
                Description(page.Synopsis)),
            Description(page.Description),
            new XElement(Command + "syntax", command.ParameterSets.Select(set => SyntaxItem(page, command, set))),
            new XElement(Command + "parameters", command.Parameters.Select(parameter => ParameterElement(page, command, parameter))),
            new XElement(Command + "inputTypes", page.Inputs.Select(type => TypeElement("inputType", type))),
            new XElement(Command + "returnValues", page.Outputs.Select(type => TypeElement("returnValue", type))),
            new XElement(MamlNs + "alertSet", new XElement(MamlNs + "alert", Paragraphs(page.Notes))),
            new XElement(Command + "examples", page.Examples.Select((example, index) => ExampleElement(example, index))),
            new XElement(MamlNs + "relatedLinks", RelatedLinks(page)));

    private static XElement Description(IEnumerable<TextBlock> blocks) => new(MamlNs + "description", Paragraphs(blocks));

    // Code and output keep their lines as written: Get-Help trims a paragraph's start and indents every line alike.
    private static IEnumerable<XElement> Paragraphs(IEnumerable<TextBlock> blocks) =>
        blocks.Select(block => new XElement(MamlNs + "para", block.Text));

    private static XElement SyntaxItem(CommandPage page, CommandMetadata command, ParameterSetMetadata set) =>
        new(Command + "syntaxItem",
            new XElement(MamlNs + "name", command.Name),
            SyntaxOrder(set.Parameters).Select(parameter => ParameterCore(page, parameter, parameter, inSyntax: true)));

    /// <summary>Positional parameters by position, then mandatory, then optional, then switches, as Get-Command -Syntax orders them.</summary>
    private static IEnumerable<ParameterMetadata> SyntaxOrder(IEnumerable<ParameterMetadata> parameters) =>
        parameters.Select((parameter, index) => (parameter, index))
            .OrderBy(pair => pair.parameter.Position is null ? 1 : 0)
            .ThenBy(pair => pair.parameter.Position ?? 0)
            .ThenBy(pair => pair.parameter.Mandatory ? 0 : 1)
            .ThenBy(pair => pair.parameter.IsSwitch ? 1 : 0)
            .ThenBy(pair => pair.index)
            .Select(pair => pair.parameter);

    private static XElement ParameterElement(CommandPage page, CommandMetadata command, ParameterMetadata parameter)
    {
        // A parameter in several sets: required only when every set requires it; pipeline input when any set takes it.
        var sets = command.SetsOf(parameter.Name);
        var merged = parameter with
        {
            Mandatory = sets.All(set => set.Find(parameter.Name)!.Mandatory),
            Position = sets.Select(set => set.Find(parameter.Name)!.Position).FirstOrDefault(position => position is not null),
            ValueFromPipeline = sets.Any(set => set.Find(parameter.Name)!.ValueFromPipeline),
            ValueFromPipelineByPropertyName = sets.Any(set => set.Find(parameter.Name)!.ValueFromPipelineByPropertyName),
        };
        return ParameterCore(page, parameter, merged, inSyntax: false);
    }

    private static XElement ParameterCore(CommandPage page, ParameterMetadata declared, ParameterMetadata facts, bool inSyntax)
    {
        var doc = page.Parameters.FirstOrDefault(p => string.Equals(p.Name, declared.Name, StringComparison.OrdinalIgnoreCase));
        var element = new XElement(Command + "parameter",
            new XAttribute("required", Bool(facts.Mandatory)),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", Bool(facts.SupportsWildcards)),
            new XAttribute("pipelineInput", facts.PipelineInput),
            new XAttribute("position", facts.PositionText),
            new XAttribute("aliases", facts.Aliases.Count == 0 ? "none" : string.Join(", ", facts.Aliases)),
            new XElement(MamlNs + "name", declared.Name),
            Description(doc?.Description ?? []));
        if (facts.AcceptedValues.Count > 0)
        {
            element.Add(new XElement(Command + "parameterValueGroup",
                facts.AcceptedValues.Select(value => new XElement(Command + "parameterValue",
                    new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), value))));
        }
        if (!facts.IsSwitch)
        {
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", Bool(!inSyntax || facts.Mandatory || facts.Position is null)),
                new XAttribute("variableLength", "false"),
                facts.TypeName));
        }
        element.Add(new XElement(Dev + "type", new XElement(MamlNs + "name", facts.Type), new XElement(MamlNs + "uri")));
        element.Add(new XElement(Dev + "defaultValue", doc?.DefaultValue ?? (facts.IsSwitch ? "False" : "None")));
        return element;
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static XElement TypeElement(string name, TypeDoc type) =>
        new(Command + name,
            new XElement(Dev + "type", new XElement(MamlNs + "name", type.Name), new XElement(MamlNs + "uri"), new XElement(MamlNs + "description")),
            Description(type.Description));

    private static XElement ExampleElement(ExampleDoc example, int index)
    {
        var remarks = example.Output.Concat(example.Remarks);
        return new XElement(Command + "example",
            new XElement(MamlNs + "title", $"---------- {Title(example, index)} ----------"),
            new XElement(Dev + "code", string.Join("\n\n", example.Code.Select(code => code.Text))),
            new XElement(Dev + "remarks", Paragraphs(remarks)));
    }

    private static string Title(ExampleDoc example, int index) =>
        example.Title.StartsWith("Example", StringComparison.OrdinalIgnoreCase) ? example.Title : $"Example {index + 1}: {example.Title}";

    private static IEnumerable<XElement> RelatedLinks(CommandPage page)
    {
        if (page.FrontMatter.TryGetValue("online version", out var online) && online.Length > 0)
        {
            yield return Link("Online Version:", online);
        }
        foreach (var link in page.RelatedLinks) yield return Link(link.Text, link.Uri);
    }

    // A link to another page (Get-Foo.md) keeps only its text: Get-Help shows it as a command name to look up.
    private static XElement Link(string text, string uri) =>
        new(MamlNs + "navigationLink",
            new XElement(MamlNs + "linkText", text),
            new XElement(MamlNs + "uri", Uri.IsWellFormedUriString(uri, UriKind.Absolute) ? uri : string.Empty));
}
