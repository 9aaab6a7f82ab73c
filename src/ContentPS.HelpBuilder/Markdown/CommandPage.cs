namespace ContentPS.HelpBuilder.Markdown;

/// <summary>A docs/&lt;Cmdlet&gt;.md page in platyPS schema. Lines are one-based.</summary>
internal sealed class CommandPage
{
    public required string Path { get; init; }
    public Dictionary<string, string> FrontMatter { get; } = new(StringComparer.OrdinalIgnoreCase);
    public bool HasFrontMatter { get; set; }
    public string? Title { get; set; }
    public int TitleLine { get; set; } = 1;

    /// <summary>Level-two headings (upper case) and their lines.</summary>
    public Dictionary<string, int> Sections { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<TextBlock> Synopsis { get; } = [];
    public List<SyntaxDoc> Syntax { get; } = [];
    public List<TextBlock> Description { get; } = [];
    public List<ExampleDoc> Examples { get; } = [];
    public List<ParameterDoc> Parameters { get; } = [];
    public bool HasCommonParameters { get; set; }
    public List<TypeDoc> Inputs { get; } = [];
    public List<TypeDoc> Outputs { get; } = [];
    public List<TextBlock> Notes { get; } = [];
    public List<LinkDoc> RelatedLinks { get; } = [];

    /// <summary>Every "{{ … }}" placeholder left in the page.</summary>
    public List<TextBlock> Placeholders { get; } = [];

    public int SectionLine(string name) => Sections.TryGetValue(name, out var line) ? line : TitleLine;
}

/// <summary>A paragraph, list item or code block rendered as plain text.</summary>
internal sealed record TextBlock(string Text, int Line, bool IsCode = false);

internal sealed record SyntaxDoc(string SetName, int Line, string Code);

internal sealed class ExampleDoc(string title, int line)
{
    public string Title { get; } = title;
    public int Line { get; } = line;

    /// <summary>Code blocks fenced as powershell (or ps, pwsh, or with no language).</summary>
    public List<TextBlock> Code { get; } = [];

    /// <summary>Code blocks fenced as text or output: expected output, shown but never run.</summary>
    public List<TextBlock> Output { get; } = [];
    public List<TextBlock> Remarks { get; } = [];
}

internal sealed class ParameterDoc(string name, int line)
{
    public string Name { get; } = name;
    public int Line { get; } = line;
    public List<TextBlock> Description { get; } = [];
    public Dictionary<string, string> Yaml { get; } = new(StringComparer.OrdinalIgnoreCase);
    public int YamlLine { get; set; }
    public string? DefaultValue => Yaml.TryGetValue("Default value", out var value) && value.Length > 0 ? value : null;
}

internal sealed class TypeDoc(string name, int line)
{
    public string Name { get; } = name;
    public int Line { get; } = line;
    public List<TextBlock> Description { get; } = [];
}

internal sealed record LinkDoc(string Text, string Uri, int Line);
