using System.Xml;
using System.Xml.Linq;
using System.Xml.XPath;
using ContentPS.HelpBuilder.Maml;

namespace ContentPS.HelpBuilder.Tests;

public class MamlWriterTests
{
    private static readonly XmlNamespaceManager Ns = CreateNamespaces();

    private static XmlNamespaceManager CreateNamespaces()
    {
        var ns = new XmlNamespaceManager(new NameTable());
        ns.AddNamespace("msh", "http://msh");
        ns.AddNamespace("maml", "http://schemas.microsoft.com/maml/2004/10");
        ns.AddNamespace("command", "http://schemas.microsoft.com/maml/dev/command/2004/10");
        ns.AddNamespace("dev", "http://schemas.microsoft.com/maml/dev/2004/10");
        return ns;
    }

    private static XDocument Build()
    {
        var pairs = new[] { "Get-Widget", "Remove-Widget" }.Select(name => (FixtureFiles.Parse(name), FixtureFiles.Command(name)));
        // Round-trip through text so the asserts read what Get-Help reads.
        var path = Path.GetTempFileName();
        try
        {
            MamlWriter.Save(MamlWriter.Build(pairs), path);
            return XDocument.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static readonly XDocument Document = Build();

    private static XElement Command(string name) =>
        Document.XPathSelectElement($"/msh:helpItems/command:command[command:details/command:name='{name}']", Ns)!;

    private static string Text(XNode node, string xpath) => string.Concat(((IEnumerable<object>)node.XPathEvaluate(xpath, Ns)).Select(o => o switch
    {
        XElement e => e.Value,
        XAttribute a => a.Value,
        _ => o.ToString(),
    }));

    private static XElement Parameter(XElement command, string container, string name) =>
        command.XPathSelectElement($"{container}/command:parameter[maml:name='{name}']", Ns)!;

    [Fact]
    public void Writes_one_command_per_cmdlet_with_details()
    {
        Assert.Equal("maml", Document.Root!.Attribute("schema")!.Value);
        Assert.Equal(2, Document.XPathSelectElements("/msh:helpItems/command:command", Ns).Count());
        var get = Command("Get-Widget");
        Assert.Equal("Get", Text(get, "command:details/command:verb"));
        Assert.Equal("Widget", Text(get, "command:details/command:noun"));
        Assert.Equal("Gets widgets by name or by id.", Text(get, "command:details/maml:description/maml:para"));
        Assert.Equal(4, get.XPathSelectElements("maml:description/maml:para", Ns).Count());
    }

    [Fact]
    public void Writes_one_syntax_item_per_parameter_set_from_metadata()
    {
        var get = Command("Get-Widget");
        var items = get.XPathSelectElements("command:syntax/command:syntaxItem", Ns).ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(["Name", "Size", "Force"], items[0].XPathSelectElements("command:parameter/maml:name", Ns).Select(e => e.Value));
        Assert.Equal(["Id", "Size", "Force"], items[1].XPathSelectElements("command:parameter/maml:name", Ns).Select(e => e.Value));
        var name = items[0].XPathSelectElement("command:parameter[maml:name='Name']", Ns)!;
        Assert.Equal("true", name.Attribute("required")!.Value);
        Assert.Equal("0", name.Attribute("position")!.Value);
        Assert.Equal("true", name.Attribute("globbing")!.Value);
        Assert.Equal("True (ByPropertyName, ByValue)", name.Attribute("pipelineInput")!.Value);
        Assert.Equal("WidgetName, N", name.Attribute("aliases")!.Value);
        Assert.Equal("String[]", Text(name, "command:parameterValue"));
        var force = items[0].XPathSelectElement("command:parameter[maml:name='Force']", Ns)!;
        Assert.Null(force.XPathSelectElement("command:parameterValue", Ns));
        Assert.Equal("named", force.Attribute("position")!.Value);
    }

    [Fact]
    public void Writes_parameters_with_prose_from_markdown_and_facts_from_metadata()
    {
        var get = Command("Get-Widget");
        Assert.Equal(4, get.XPathSelectElements("command:parameters/command:parameter", Ns).Count());
        var size = Parameter(get, "command:parameters", "Size");
        Assert.Equal("The size of the widgets.", Text(size, "maml:description/maml:para"));
        Assert.Equal("Small", Text(size, "dev:defaultValue"));
        Assert.Equal("System.String", Text(size, "dev:type/maml:name"));
        Assert.Equal(["Small", "Large"], size.XPathSelectElements("command:parameterValueGroup/command:parameterValue", Ns).Select(e => e.Value));
        Assert.Equal("none", size.Attribute("aliases")!.Value);
        var id = Parameter(get, "command:parameters", "Id");
        Assert.Equal("True (ByPropertyName)", id.Attribute("pipelineInput")!.Value);
        Assert.Equal("true", id.Attribute("required")!.Value);
        Assert.Equal("None", Text(id, "dev:defaultValue"));
        Assert.Equal("False", Text(Parameter(get, "command:parameters", "Force"), "dev:defaultValue"));
    }

    [Fact]
    public void Writes_inputs_outputs_notes_examples_and_links()
    {
        var get = Command("Get-Widget");
        Assert.Equal(["System.String[]", "System.Int32"], get.XPathSelectElements("command:inputTypes/command:inputType/dev:type/maml:name", Ns).Select(e => e.Value));
        Assert.Equal("One line per widget.", Text(get, "command:returnValues/command:returnValue/maml:description/maml:para"));
        Assert.Equal("Widgets are imaginary.", Text(get, "maml:alertSet/maml:alert/maml:para"));
        var examples = get.XPathSelectElements("command:examples/command:example", Ns).ToList();
        Assert.Equal(2, examples.Count);
        Assert.Contains("Example 1: Get a widget by name", Text(examples[0], "maml:title"), StringComparison.Ordinal);
        Assert.Equal("Get-Widget -Name alpha", Text(examples[0], "dev:code"));
        Assert.Equal(["widget alpha Small", "This example gets the widget named alpha."],
            examples[0].XPathSelectElements("dev:remarks/maml:para", Ns).Select(e => e.Value));
        var links = get.XPathSelectElements("maml:relatedLinks/maml:navigationLink", Ns).ToList();
        Assert.Equal(["Online Version:", "Remove-Widget", "Widget home"], links.Select(l => Text(l, "maml:linkText")));
        Assert.Equal(["https://example.test/Get-Widget", "", "https://example.test/widgets"], links.Select(l => Text(l, "maml:uri")));
    }

    [Fact]
    public void A_switch_only_set_and_should_process_parameters_are_written()
    {
        var remove = Command("Remove-Widget");
        var names = remove.XPathSelectElements("command:syntax/command:syntaxItem/command:parameter/maml:name", Ns).Select(e => e.Value);
        Assert.Equal(["Name", "PassThru", "WhatIf", "Confirm"], names);
        Assert.Equal("wi", Parameter(remove, "command:parameters", "WhatIf").Attribute("aliases")!.Value);
        Assert.Equal("True (ByValue)", Parameter(remove, "command:parameters", "Name").Attribute("pipelineInput")!.Value);
        Assert.Empty(remove.XPathSelectElements("maml:alertSet/maml:alert/maml:para", Ns));
    }
}
