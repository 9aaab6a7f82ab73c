namespace ContentPS.HelpBuilder.Tests;

public class CommandPageParserTests
{
    private static readonly string Markdown = FixtureFiles.Page("Get-Widget");

    [Fact]
    public void Reads_front_matter_and_title()
    {
        var page = FixtureFiles.Parse("Get-Widget");
        Assert.True(page.HasFrontMatter);
        Assert.Equal("ContentPS.dll-Help.xml", page.FrontMatter["external help file"]);
        Assert.Equal("ContentPS", page.FrontMatter["Module Name"]);
        Assert.Equal("2.0.0", page.FrontMatter["schema"]);
        Assert.Equal("https://example.test/Get-Widget", page.FrontMatter["online version"]);
        Assert.Equal("Get-Widget", page.Title);
        Assert.Equal(FixtureFiles.LineOf(Markdown, "# Get-Widget"), page.TitleLine);
    }

    [Fact]
    public void Reads_synopsis_syntax_and_description_as_plain_text()
    {
        var page = FixtureFiles.Parse("Get-Widget");
        Assert.Equal("Gets widgets by name or by id.", Assert.Single(page.Synopsis).Text);
        Assert.Equal(["ByName (Default)", "ById"], page.Syntax.Select(s => s.SetName));
        Assert.StartsWith("Get-Widget [-Name] <string[]>", page.Syntax[0].Code);
        Assert.Equal("The Get-Widget cmdlet gets widgets. It writes one string per widget.", page.Description[0].Text);
        Assert.Equal("Widgets are sized; see the -Size parameter.", page.Description[1].Text);
        Assert.Equal(["- Names accept wildcards.", "- Ids come from the pipeline by property name."], page.Description.Skip(2).Select(b => b.Text));
        Assert.Equal(FixtureFiles.LineOf(Markdown, "## DESCRIPTION"), page.Sections["DESCRIPTION"]);
    }

    [Fact]
    public void Reads_examples_with_code_output_and_remarks()
    {
        var page = FixtureFiles.Parse("Get-Widget");
        Assert.Equal(2, page.Examples.Count);
        var first = page.Examples[0];
        Assert.Equal("Example 1: Get a widget by name", first.Title);
        Assert.Equal(FixtureFiles.LineOf(Markdown, "### Example 1: Get a widget by name"), first.Line);
        Assert.Equal("Get-Widget -Name alpha", Assert.Single(first.Code).Text);
        Assert.Equal("widget alpha Small", Assert.Single(first.Output).Text);
        Assert.Equal("This example gets the widget named alpha.", Assert.Single(first.Remarks).Text);
        Assert.Equal("Names come from the pipeline. Each name is a widget.", Assert.Single(page.Examples[1].Remarks).Text);
    }

    [Fact]
    public void Reads_parameters_with_yaml_and_line_numbers()
    {
        var page = FixtureFiles.Parse("Get-Widget");
        Assert.Equal(["Name", "Size", "Force", "Id"], page.Parameters.Select(p => p.Name));
        var size = page.Parameters[1];
        Assert.Equal(FixtureFiles.LineOf(Markdown, "### -Size"), size.Line);
        Assert.Equal("The size of the widgets.", Assert.Single(size.Description).Text);
        Assert.Equal("Small", size.DefaultValue);
        Assert.Equal("Small, Large", size.Yaml["Accepted values"]);
        Assert.Equal("Named", size.Yaml["Position"]);
        Assert.Equal("None", page.Parameters[0].DefaultValue);
        Assert.True(page.HasCommonParameters);
    }

    [Fact]
    public void Reads_inputs_outputs_notes_and_related_links()
    {
        var page = FixtureFiles.Parse("Get-Widget");
        Assert.Equal(["System.String[]", "System.Int32"], page.Inputs.Select(t => t.Name));
        Assert.Equal("Widget ids, by property name.", Assert.Single(page.Inputs[1].Description).Text);
        Assert.Equal("System.String", Assert.Single(page.Outputs).Name);
        Assert.Equal("Widgets are imaginary.", Assert.Single(page.Notes).Text);
        Assert.Equal([("Remove-Widget", "Remove-Widget.md"), ("Widget home", "https://example.test/widgets")],
            page.RelatedLinks.Select(l => (l.Text, l.Uri)));
    }

    [Fact]
    public void Finds_placeholders_with_their_lines()
    {
        var markdown = Markdown.Replace("The size of the widgets.", "{{ Fill Size Description }}", StringComparison.Ordinal);
        var page = FixtureFiles.Parse("Get-Widget", markdown);
        var placeholder = Assert.Single(page.Placeholders);
        Assert.Equal("{{ Fill Size Description }}", placeholder.Text);
        Assert.Equal(FixtureFiles.LineOf(markdown, "{{ Fill Size Description }}"), placeholder.Line);
    }

    [Fact]
    public void Keeps_windows_line_endings_working()
    {
        var page = FixtureFiles.Parse("Get-Widget", Markdown.Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.Equal(4, page.Parameters.Count);
        Assert.Equal("Get-Widget -Name alpha", page.Examples[0].Code[0].Text);
        Assert.Equal("Small", page.Parameters[1].DefaultValue);
    }
}
