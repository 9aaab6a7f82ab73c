using ContentPS.HelpBuilder.Validation;

namespace ContentPS.HelpBuilder.Tests;

public class CommandPageValidatorTests
{
    private static List<Problem> Validate(string name, string markdown) =>
        CommandPageValidator.Validate(FixtureFiles.Parse(name, markdown), FixtureFiles.Command(name), "ContentPS.dll-Help.xml", "ContentPS");

    private static Problem Single(List<Problem> problems, string containing) =>
        Assert.Single(problems, p => p.Message.Contains(containing, StringComparison.Ordinal));

    [Theory]
    [InlineData("Get-Widget")]
    [InlineData("Remove-Widget")]
    public void A_complete_page_has_no_problems(string name) => Assert.Empty(Validate(name, FixtureFiles.Page(name)));

    [Fact]
    public void Reports_a_missing_synopsis_at_its_heading()
    {
        var markdown = FixtureFiles.Page("Get-Widget").Replace("Gets widgets by name or by id.\n", "", StringComparison.Ordinal);
        var problem = Single(Validate("Get-Widget", markdown), "synopsis is empty");
        Assert.Equal(FixtureFiles.LineOf(markdown, "## SYNOPSIS"), problem.Line);
        Assert.Equal("Get-Widget.md", problem.Path);
        Assert.Matches(@"^Get-Widget\.md:\d+: error: ", problem.ToString());
    }

    [Fact]
    public void Reports_a_missing_synopsis_section()
    {
        var markdown = FixtureFiles.Page("Get-Widget").Replace("## SYNOPSIS\nGets widgets by name or by id.\n", "", StringComparison.Ordinal);
        Single(Validate("Get-Widget", markdown), "missing section '## SYNOPSIS'");
    }

    [Fact]
    public void Reports_a_documented_parameter_the_cmdlet_does_not_have()
    {
        var markdown = FixtureFiles.Page("Get-Widget").Replace("### -Force", "### -Forse", StringComparison.Ordinal);
        var problems = Validate("Get-Widget", markdown);
        var extra = Single(problems, "documents parameter -Forse");
        Assert.Equal(FixtureFiles.LineOf(markdown, "### -Forse"), extra.Line);
        var missing = Single(problems, "parameter -Force has no '### -Force' section");
        Assert.Equal(FixtureFiles.LineOf(markdown, "## PARAMETERS"), missing.Line);
    }

    [Fact]
    public void Reports_a_parameter_without_description()
    {
        var markdown = FixtureFiles.Page("Get-Widget").Replace("The id of the widget to get.\n", "", StringComparison.Ordinal);
        var problem = Single(Validate("Get-Widget", markdown), "-Id has no description");
        Assert.Equal(FixtureFiles.LineOf(markdown, "### -Id"), problem.Line);
    }

    [Fact]
    public void Reports_an_unfilled_placeholder_at_its_line()
    {
        var markdown = FixtureFiles.Page("Get-Widget").Replace("The id of the widget to get.", "{{ Fill Id Description }}", StringComparison.Ordinal);
        var problem = Assert.Single(Validate("Get-Widget", markdown));
        Assert.Contains("unfilled placeholder {{ Fill Id Description }}", problem.Message, StringComparison.Ordinal);
        Assert.Equal(FixtureFiles.LineOf(markdown, "{{ Fill Id Description }}"), problem.Line);
    }

    [Fact]
    public void Requires_two_examples_with_code()
    {
        var markdown = FixtureFiles.Page("Remove-Widget");
        var start = markdown.IndexOf("### Example 2", StringComparison.Ordinal);
        var end = markdown.IndexOf("## PARAMETERS", StringComparison.Ordinal);
        markdown = markdown[..start] + markdown[end..];
        markdown = markdown.Replace("```powershell\nRemove-Widget -Name alpha -WhatIf\n```\n", "", StringComparison.Ordinal);
        var problems = Validate("Remove-Widget", markdown);
        Assert.Equal(FixtureFiles.LineOf(markdown, "## EXAMPLES"), Single(problems, "at least 2 examples").Line);
        Assert.Equal(FixtureFiles.LineOf(markdown, "### Example 1: Remove a widget"), Single(problems, "has no ```powershell code block").Line);
    }

    [Fact]
    public void Reports_stale_syntax_and_a_wrong_title()
    {
        var markdown = FixtureFiles.Page("Get-Widget")
            .Replace("[-Force] [<CommonParameters>]", "[<CommonParameters>]", StringComparison.Ordinal)
            .Replace("# Get-Widget\n", "# Get-Widgets\n", StringComparison.Ordinal);
        var problems = Validate("Get-Widget", markdown);
        Assert.Equal(FixtureFiles.LineOf(markdown, "## SYNTAX"), Single(problems, "SYNTAX blocks differ").Line);
        Assert.Equal(FixtureFiles.LineOf(markdown, "# Get-Widgets"), Single(problems, "title must be '# Get-Widget'").Line);
    }

    [Fact]
    public void Reports_wrong_front_matter_and_missing_common_parameters()
    {
        var markdown = FixtureFiles.Page("Get-Widget")
            .Replace("external help file: ContentPS.dll-Help.xml", "external help file: Other.dll-Help.xml", StringComparison.Ordinal)
            .Replace("### CommonParameters", "### Common", StringComparison.Ordinal);
        var problems = Validate("Get-Widget", markdown);
        Assert.Equal(1, Single(problems, "external help file: ContentPS.dll-Help.xml").Line);
        Single(problems, "missing '### CommonParameters'");
    }
}
