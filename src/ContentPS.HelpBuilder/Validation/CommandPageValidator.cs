using ContentPS.HelpBuilder.Markdown;
using ContentPS.HelpBuilder.Metadata;

namespace ContentPS.HelpBuilder.Validation;

/// <summary>Checks a cmdlet page against the cmdlet's metadata: complete, and no parameter too many or too few.</summary>
internal static class CommandPageValidator
{
    public const int MinimumExamples = 2;
    private static readonly string[] RequiredSections = ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS"];

    public static List<Problem> Validate(CommandPage page, CommandMetadata command, string helpFileName, string moduleName)
    {
        var problems = new List<Problem>();
        void Report(int line, string message) => problems.Add(new Problem(page.Path, line, message));

        CheckFrontMatter(page, helpFileName, moduleName, Report);
        if (!string.Equals(page.Title, command.Name, StringComparison.Ordinal))
        {
            Report(page.TitleLine, $"the title must be '# {command.Name}', found '{page.Title ?? "(none)"}'");
        }
        foreach (var name in RequiredSections.Where(name => !page.Sections.ContainsKey(name)))
        {
            Report(page.TitleLine, $"missing section '## {name}'");
        }
        if (page.Sections.ContainsKey("SYNOPSIS") && page.Synopsis.Count == 0) Report(page.SectionLine("SYNOPSIS"), "the synopsis is empty");
        if (page.Sections.ContainsKey("DESCRIPTION") && page.Description.Count == 0) Report(page.SectionLine("DESCRIPTION"), "the description is empty");
        CheckSyntax(page, command, Report);
        CheckExamples(page, Report);
        CheckParameters(page, command, Report);
        CheckTypes(page, "INPUTS", page.Inputs, Report);
        CheckTypes(page, "OUTPUTS", page.Outputs, Report);
        foreach (var placeholder in page.Placeholders) Report(placeholder.Line, $"unfilled placeholder {placeholder.Text}");
        return problems;
    }

    private static void CheckFrontMatter(CommandPage page, string helpFileName, string moduleName, Action<int, string> report)
    {
        if (!page.HasFrontMatter)
        {
            report(1, "missing YAML front matter (external help file, Module Name, online version, schema)");
            return;
        }
        Expect("external help file", helpFileName);
        Expect("Module Name", moduleName);
        Expect("schema", "2.0.0");
        if (!page.FrontMatter.ContainsKey("online version")) report(1, "front matter lacks 'online version:' (it may be empty)");

        void Expect(string key, string value)
        {
            if (!page.FrontMatter.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                report(1, $"front matter must say '{key}: {value}'");
            }
        }
    }

    private static void CheckSyntax(CommandPage page, CommandMetadata command, Action<int, string> report)
    {
        if (!page.Sections.ContainsKey("SYNTAX")) return;
        var expected = command.ParameterSets.Select(set => Normalize(set.Syntax)).ToList();
        var actual = page.Syntax.Select(syntax => Normalize(syntax.Code)).ToList();
        if (!expected.SequenceEqual(actual))
        {
            report(page.SectionLine("SYNTAX"), "the SYNTAX blocks differ from Get-Command -Syntax; run './build.ps1 Docs -Update' to regenerate them");
        }
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static void CheckExamples(CommandPage page, Action<int, string> report)
    {
        if (!page.Sections.ContainsKey("EXAMPLES")) return;
        if (page.Examples.Count < MinimumExamples)
        {
            report(page.SectionLine("EXAMPLES"), $"at least {MinimumExamples} examples are required, found {page.Examples.Count}");
        }
        foreach (var example in page.Examples)
        {
            if (example.Code.Count == 0) report(example.Line, $"example '{example.Title}' has no ```powershell code block");
            if (example.Remarks.Count == 0) report(example.Line, $"example '{example.Title}' has no text that says what it does");
        }
    }

    private static void CheckParameters(CommandPage page, CommandMetadata command, Action<int, string> report)
    {
        if (!page.Sections.ContainsKey("PARAMETERS")) return;
        var documented = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in page.Parameters)
        {
            if (!documented.Add(parameter.Name))
            {
                report(parameter.Line, $"parameter -{parameter.Name} is documented twice");
                continue;
            }
            var actual = command.Parameters.FirstOrDefault(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (actual is null)
            {
                report(parameter.Line, $"documents parameter -{parameter.Name}, which {command.Name} does not have");
                continue;
            }
            if (actual.Name != parameter.Name) report(parameter.Line, $"write the parameter as -{actual.Name}, not -{parameter.Name}");
            if (parameter.Description.Count == 0) report(parameter.Line, $"parameter -{parameter.Name} has no description");
            if (parameter.YamlLine == 0) report(parameter.Line, $"parameter -{parameter.Name} has no ```yaml block");
        }
        foreach (var missing in command.Parameters.Where(p => !documented.Contains(p.Name)))
        {
            report(page.SectionLine("PARAMETERS"), $"parameter -{missing.Name} has no '### -{missing.Name}' section; run './build.ps1 Docs -Update' to add it");
        }
        if (command.HasCommonParameters && !page.HasCommonParameters)
        {
            report(page.SectionLine("PARAMETERS"), "missing '### CommonParameters' section");
        }
    }

    private static void CheckTypes(CommandPage page, string section, List<TypeDoc> types, Action<int, string> report)
    {
        if (!page.Sections.ContainsKey(section)) return;
        if (types.Count == 0) report(page.SectionLine(section), $"{section} names no type (write '### None' when there is none)");
    }
}
