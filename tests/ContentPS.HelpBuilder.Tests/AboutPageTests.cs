using ContentPS.HelpBuilder.About;

namespace ContentPS.HelpBuilder.Tests;

public class AboutPageTests
{
    private static readonly string Markdown = File.ReadAllText(Path.Combine(FixtureFiles.Docs, "about_ContentPS.md"));

    private static AboutPage Parse(string markdown) => AboutPageParser.Parse("about_ContentPS.md", markdown);

    [Fact]
    public void Renders_the_text_get_help_shows()
    {
        var text = AboutTextWriter.Render(Parse(Markdown));
        var lines = text.Split('\n');
        Assert.Equal(["TOPIC", "    about_ContentPS", "", "SHORT DESCRIPTION", "    Widgets for testing the help builder."], lines.Take(5));
        Assert.Contains("LONG DESCRIPTION", lines);
        Assert.Contains("SEE ALSO", lines);
        Assert.Contains("  A subsection", lines);
        Assert.Contains("    - First item", lines);
        Assert.Contains("        Get-Widget alpha", lines);
        Assert.Contains("    NotFound         ObjectNotFound", lines);
        Assert.All(lines, line => Assert.True(line.Length <= AboutTextWriter.Width, line));
        Assert.DoesNotContain("\n\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_too_wide_for_the_page_becomes_one_block_per_row()
    {
        var markdown = """
            # about_ContentPS

            ## SHORT DESCRIPTION
            Wide tables.

            ## LONG DESCRIPTION
            | ErrorId | Class | What to do |
            |---|---|---|
            | InvalidReference | InvalidArgument | Fix the name: a lower-case repository, a tag of at most 128 characters and a complete digest. |
            | NotModified | NotModified | |

            """.Replace("\r\n", "\n", StringComparison.Ordinal);
        var lines = AboutTextWriter.Render(Parse(markdown)).Split('\n');
        var start = Array.IndexOf(lines, "    InvalidReference");

        Assert.True(start > 0, string.Join("\n", lines));
        Assert.Equal(
            [
                "    InvalidReference",
                "      Class:      InvalidArgument",
                "      What to do: Fix the name: a lower-case repository, a tag of at most 128",
                "                  characters and a complete digest.",
                "",
                "    NotModified",
                "      Class:      NotModified",
            ],
            lines.Skip(start).Take(7));
        Assert.All(lines, line => Assert.True(line.Length <= AboutTextWriter.Width, line));
    }

    [Fact]
    public void A_complete_about_page_has_no_problems() => Assert.Empty(AboutPageValidator.Validate(Parse(Markdown)));

    [Fact]
    public void Reports_missing_short_description_and_placeholders()
    {
        var markdown = Markdown.Replace("## SHORT DESCRIPTION\nWidgets for testing the help builder.\n", "", StringComparison.Ordinal)
            .Replace("## SEE ALSO\nGet-Widget", "## SEE ALSO\n{{ Fill in }}", StringComparison.Ordinal);
        var problems = AboutPageValidator.Validate(Parse(markdown));
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Message.Contains("missing section '## SHORT DESCRIPTION'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == FixtureFiles.LineOf(markdown, "{{ Fill in }}"));
    }

    [Fact]
    public void Reports_an_empty_long_description_at_its_heading()
    {
        var markdown = "# about_ContentPS\n\n## SHORT DESCRIPTION\nShort.\n\n## LONG DESCRIPTION\n\n## MORE\nText.\n";
        var problem = Assert.Single(AboutPageValidator.Validate(Parse(markdown)));
        Assert.Equal(6, problem.Line);
    }
}
