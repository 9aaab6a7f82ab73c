using System.Text;
using ContentPS.HelpBuilder.Metadata;

namespace ContentPS.HelpBuilder.Update;

/// <summary>The markdown that --update writes: syntax blocks, parameter sections and new page skeletons.</summary>
internal static class MarkdownGenerator
{
    public const string CommonParametersText =
        "This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, " +
        "-InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, " +
        "and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).";

    public static string Placeholder(string text) => "{{ " + text + " }}";

    public static List<string> SyntaxBlocks(CommandMetadata command)
    {
        var lines = new List<string>();
        foreach (var set in command.ParameterSets)
        {
            var title = set.IsDefault && !command.HasSingleUnnamedSet && command.ParameterSets.Count > 1 ? $"{set.Name} (Default)" : set.Name;
            lines.AddRange([$"### {title}", "```", set.Syntax, "```", ""]);
        }
        return lines;
    }

    public static List<string> ParameterSection(CommandMetadata command, ParameterMetadata parameter)
    {
        var sets = command.SetsOf(parameter.Name);
        var lines = new List<string>
        {
            $"### -{parameter.Name}",
            Placeholder($"Fill {parameter.Name} Description"),
            "",
            "```yaml",
            $"Type: {parameter.TypeName}",
            $"Parameter Sets: {(command.HasSingleUnnamedSet || sets.Count == command.ParameterSets.Count ? "(All)" : string.Join(", ", sets.Select(s => s.Name)))}",
            $"Aliases: {string.Join(", ", parameter.Aliases)}".TrimEnd(),
        };
        if (parameter.AcceptedValues.Count > 0) lines.Add($"Accepted values: {string.Join(", ", parameter.AcceptedValues)}");
        lines.AddRange([
            "",
            $"Required: {PerSet(sets, parameter.Name, p => p.Mandatory ? "True" : "False")}",
            $"Position: {PerSet(sets, parameter.Name, p => p.Position is { } position ? position.ToString(System.Globalization.CultureInfo.InvariantCulture) : "Named")}",
            $"Default value: {(parameter.IsSwitch ? "False" : "None")}",
            $"Accept pipeline input: {PerSet(sets, parameter.Name, p => p.PipelineInput)}",
            $"Accept wildcard characters: {(parameter.SupportsWildcards ? "True" : "False")}",
            "```",
            "",
        ]);
        return lines;
    }

    /// <summary>One value when every set agrees, else "True (SetA), False (SetB)" as platyPS writes it.</summary>
    private static string PerSet(IReadOnlyList<ParameterSetMetadata> sets, string name, Func<ParameterMetadata, string> value)
    {
        var values = sets.Select(set => (set.Name, Value: value(set.Find(name)!))).ToList();
        return values.Select(v => v.Value).Distinct().Count() <= 1
            ? values.FirstOrDefault().Value ?? string.Empty
            : string.Join(", ", values.Select(v => $"{v.Value} ({v.Name})"));
    }

    public static List<string> CommonParametersSection() => ["### CommonParameters", CommonParametersText, ""];

    public static string Skeleton(CommandMetadata command, string helpFileName, string moduleName)
    {
        var lines = new List<string>
        {
            "---",
            $"external help file: {helpFileName}",
            $"Module Name: {moduleName}",
            "online version:",
            "schema: 2.0.0",
            "---",
            "",
            $"# {command.Name}",
            "",
            "## SYNOPSIS",
            Placeholder("Fill in the Synopsis"),
            "",
            "## SYNTAX",
            "",
        };
        lines.AddRange(SyntaxBlocks(command));
        lines.AddRange(["## DESCRIPTION", Placeholder("Fill in the Description"), "", "## EXAMPLES", ""]);
        for (var i = 1; i <= 2; i++)
        {
            lines.AddRange([$"### Example {i}: {Placeholder("Fill in the title")}", "", "```powershell", Placeholder("Add example code here"), "```", "", Placeholder("Add example description here"), ""]);
        }
        lines.AddRange(["## PARAMETERS", ""]);
        foreach (var parameter in command.Parameters) lines.AddRange(ParameterSection(command, parameter));
        if (command.HasCommonParameters) lines.AddRange(CommonParametersSection());
        lines.AddRange(["## INPUTS", ""]);
        var inputs = command.Parameters
            .Where(p => p.ValueFromPipeline || p.ValueFromPipelineByPropertyName)
            .Select(p => p.Type)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (inputs.Count == 0) lines.AddRange(["### None", ""]);
        foreach (var input in inputs) lines.AddRange([$"### {input}", Placeholder($"Fill in how {command.Name} takes {input} from the pipeline"), ""]);
        lines.AddRange(["## OUTPUTS", ""]);
        foreach (var output in command.OutputTypes.DefaultIfEmpty("None")) lines.AddRange([$"### {output}", Placeholder($"Fill in what {command.Name} writes"), ""]);
        lines.AddRange(["## NOTES", "", "## RELATED LINKS", "", "[about_ContentPS](about_ContentPS.md)"]);
        return string.Join('\n', lines) + "\n";
    }
}
