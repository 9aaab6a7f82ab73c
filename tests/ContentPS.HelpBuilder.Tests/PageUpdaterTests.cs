using ContentPS.HelpBuilder.Markdown;
using ContentPS.HelpBuilder.Update;
using ContentPS.HelpBuilder.Validation;

namespace ContentPS.HelpBuilder.Tests;

public class PageUpdaterTests
{
    private static string RemoveSection(string markdown, string heading, string next)
    {
        var start = markdown.IndexOf(heading + "\n", StringComparison.Ordinal);
        var end = markdown.IndexOf(next + "\n", start, StringComparison.Ordinal);
        return markdown[..start] + markdown[end..];
    }

    /// <summary>Every line of <paramref name="before"/> appears in <paramref name="after"/>, in the same order.</summary>
    private static void AssertKeepsEveryLine(string before, string after)
    {
        var remaining = after.Split('\n').ToList();
        var index = 0;
        foreach (var line in before.Split('\n'))
        {
            var found = remaining.FindIndex(index, l => l == line);
            Assert.True(found >= 0, $"lost line: '{line}'");
            index = found + 1;
        }
    }

    [Fact]
    public void A_complete_page_is_left_unchanged()
    {
        var markdown = FixtureFiles.Page("Get-Widget");
        var (text, changes) = PageUpdater.Update(markdown, FixtureFiles.Command("Get-Widget"));
        Assert.Empty(changes);
        Assert.Equal(markdown, text);
    }

    [Fact]
    public void Adds_a_missing_parameter_section_before_common_parameters_with_a_placeholder()
    {
        var before = RemoveSection(FixtureFiles.Page("Get-Widget"), "### -Id", "### CommonParameters");
        var (after, changes) = PageUpdater.Update(before, FixtureFiles.Command("Get-Widget"));
        Assert.Equal(["added -Id"], changes);
        AssertKeepsEveryLine(before, after);
        Assert.True(after.IndexOf("### -Id", StringComparison.Ordinal) < after.IndexOf("### CommonParameters", StringComparison.Ordinal));
        var page = CommandPageParser.Parse("Get-Widget.md", after);
        var id = page.Parameters.Single(p => p.Name == "Id");
        Assert.Equal("ById", id.Yaml["Parameter Sets"]);
        Assert.Equal("True", id.Yaml["Required"]);
        Assert.Equal("True (ByPropertyName)", id.Yaml["Accept pipeline input"]);
        var problem = Assert.Single(CommandPageValidator.Validate(page, FixtureFiles.Command("Get-Widget"), "ContentPS.dll-Help.xml", "ContentPS"));
        Assert.Contains("{{ Fill Id Description }}", problem.Message, StringComparison.Ordinal);
        Assert.Equal(id.Line + 1, problem.Line);
    }

    [Fact]
    public void Regenerates_stale_syntax_and_keeps_prose_there()
    {
        var before = FixtureFiles.Page("Get-Widget")
            .Replace("Get-Widget -Id <int> [-Size <string>] [-Force] [<CommonParameters>]", "Get-Widget -Id <int>", StringComparison.Ordinal)
            .Replace("## DESCRIPTION\n", "A note someone wrote under SYNTAX.\n\n## DESCRIPTION\n", StringComparison.Ordinal);
        var (after, changes) = PageUpdater.Update(before, FixtureFiles.Command("Get-Widget"));
        Assert.Equal(["regenerated SYNTAX"], changes);
        Assert.Contains("Get-Widget -Id <int> [-Size <string>] [-Force] [<CommonParameters>]", after, StringComparison.Ordinal);
        Assert.Contains("A note someone wrote under SYNTAX.", after, StringComparison.Ordinal);
        Assert.Equal(after, PageUpdater.Update(after, FixtureFiles.Command("Get-Widget")).Text);
    }

    [Fact]
    public void Current_syntax_under_other_headings_is_left_alone()
    {
        var before = FixtureFiles.Page("Remove-Widget").Replace("### __AllParameterSets\n", "", StringComparison.Ordinal);
        var (after, changes) = PageUpdater.Update(before, FixtureFiles.Command("Remove-Widget"));
        Assert.Empty(changes);
        Assert.Equal(before, after);
    }

    [Fact]
    public void Never_deletes_a_documented_parameter_the_cmdlet_lacks()
    {
        var before = FixtureFiles.Page("Remove-Widget").Replace("### -PassThru", "### -Old", StringComparison.Ordinal);
        var (after, changes) = PageUpdater.Update(before, FixtureFiles.Command("Remove-Widget"));
        Assert.Equal(["added -PassThru"], changes);
        AssertKeepsEveryLine(before, after);
        Assert.Contains("### -Old", after, StringComparison.Ordinal);
    }

    [Fact]
    public void Adds_parameters_and_common_parameters_when_the_section_is_missing()
    {
        var before = RemoveSection(FixtureFiles.Page("Remove-Widget"), "## PARAMETERS", "## INPUTS");
        var (after, changes) = PageUpdater.Update(before, FixtureFiles.Command("Remove-Widget"));
        Assert.Equal(["added PARAMETERS", "added -Name", "added -PassThru", "added -WhatIf", "added -Confirm", "added CommonParameters"], changes);
        AssertKeepsEveryLine(before, after);
        Assert.True(after.IndexOf("## PARAMETERS", StringComparison.Ordinal) < after.IndexOf("## INPUTS", StringComparison.Ordinal));
        var page = CommandPageParser.Parse("Remove-Widget.md", after);
        Assert.Equal(["Name", "PassThru", "WhatIf", "Confirm"], page.Parameters.Select(p => p.Name));
        Assert.True(page.HasCommonParameters);
    }

    [Fact]
    public void Keeps_windows_line_endings()
    {
        var before = RemoveSection(FixtureFiles.Page("Get-Widget"), "### -Id", "### CommonParameters").Replace("\n", "\r\n", StringComparison.Ordinal);
        var (after, _) = PageUpdater.Update(before, FixtureFiles.Command("Get-Widget"));
        Assert.DoesNotContain("\n", after.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("### -Id\r\n", after, StringComparison.Ordinal);
    }

    [Fact]
    public void A_skeleton_fails_only_on_its_placeholders()
    {
        var command = FixtureFiles.Command("Get-Widget");
        var skeleton = MarkdownGenerator.Skeleton(command, "ContentPS.dll-Help.xml", "ContentPS");
        var page = CommandPageParser.Parse("Get-Widget.md", skeleton);
        var problems = CommandPageValidator.Validate(page, command, "ContentPS.dll-Help.xml", "ContentPS");
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Contains("unfilled placeholder", p.Message, StringComparison.Ordinal));
        Assert.Equal(["Name", "Size", "Force", "Id"], page.Parameters.Select(p => p.Name));
        Assert.Equal(2, page.Examples.Count);
        Assert.Equal(["System.String[]", "System.Int32"], page.Inputs.Select(t => t.Name));
        Assert.Equal(["System.String"], page.Outputs.Select(t => t.Name));
    }
}
