namespace ContentPS.HelpBuilder.About;

/// <summary>A docs/about_*.md page in platyPS about schema. Lines are one-based.</summary>
internal sealed class AboutPage
{
    public required string Path { get; init; }
    public string? Title { get; set; }
    public int TitleLine { get; set; } = 1;
    public List<AboutElement> Elements { get; } = [];
    public List<(string Text, int Line)> Placeholders { get; } = [];

    /// <summary>The elements between the named level-two heading and the next one.</summary>
    public IEnumerable<AboutElement> SectionBody(string heading) =>
        Elements.SkipWhile(e => !(e is AboutHeading { Level: 2 } h && h.Text.Equals(heading, StringComparison.OrdinalIgnoreCase)))
            .Skip(1)
            .TakeWhile(e => e is not AboutHeading { Level: 2 });

    public AboutHeading? Heading(string text) =>
        Elements.OfType<AboutHeading>().FirstOrDefault(h => h.Level == 2 && h.Text.Equals(text, StringComparison.OrdinalIgnoreCase));
}

internal abstract record AboutElement(int Line);

internal sealed record AboutHeading(int Level, string Text, int Line) : AboutElement(Line);

internal sealed record AboutParagraph(string Text, int Line) : AboutElement(Line);

internal sealed record AboutCode(string Text, int Line) : AboutElement(Line);

internal sealed record AboutListItem(string Marker, string Text, int Line) : AboutElement(Line);

internal sealed record AboutTable(List<List<string>> Rows, int Line) : AboutElement(Line);
