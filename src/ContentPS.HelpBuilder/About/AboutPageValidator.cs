using ContentPS.HelpBuilder.Validation;

namespace ContentPS.HelpBuilder.About;

internal static class AboutPageValidator
{
    public static List<Problem> Validate(AboutPage page)
    {
        var problems = new List<Problem>();
        var expected = System.IO.Path.GetFileNameWithoutExtension(page.Path);
        if (!string.Equals(page.Title, expected, StringComparison.Ordinal))
        {
            problems.Add(new Problem(page.Path, page.TitleLine, $"the title must be '# {expected}', found '{page.Title ?? "(none)"}'"));
        }
        foreach (var name in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION" })
        {
            if (page.Heading(name) is not { } heading)
            {
                problems.Add(new Problem(page.Path, page.TitleLine, $"missing section '## {name}'"));
            }
            else if (!page.SectionBody(name).Any())
            {
                problems.Add(new Problem(page.Path, heading.Line, $"section '## {name}' is empty"));
            }
        }
        problems.AddRange(page.Placeholders.Select(p => new Problem(page.Path, p.Line, $"unfilled placeholder {p.Text}")));
        return problems;
    }
}
