using ContentPS.HelpBuilder.Markdown;
using ContentPS.HelpBuilder.Metadata;

namespace ContentPS.HelpBuilder.Tests;

internal static class FixtureFiles
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures");
    public static string Docs => Path.Combine(Root, "docs");
    public static string MetadataPath => Path.Combine(Root, "commands.json");

    public static MetadataDocument Metadata() => MetadataDocument.Load(MetadataPath);
    public static CommandMetadata Command(string name) => Metadata().Find(name) ?? throw new InvalidOperationException(name);
    public static string Page(string name) => File.ReadAllText(Path.Combine(Docs, name + ".md"));
    public static CommandPage Parse(string name, string? markdown = null) => CommandPageParser.Parse(name + ".md", markdown ?? Page(name));

    /// <summary>The one-based line of the first line that equals <paramref name="text"/>.</summary>
    public static int LineOf(string markdown, string text) =>
        markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList().FindIndex(line => line == text) + 1;
}

/// <summary>A temporary folder with a copy of the fixture docs, deleted afterwards.</summary>
internal sealed class TempDocs : IDisposable
{
    public TempDocs(bool copyDocs = true)
    {
        Root = Path.Combine(Path.GetTempPath(), "helpbuilder-tests-" + Guid.NewGuid().ToString("N"));
        Docs = Path.Combine(Root, "docs");
        Directory.CreateDirectory(Docs);
        if (copyDocs)
        {
            foreach (var file in Directory.EnumerateFiles(FixtureFiles.Docs)) File.Copy(file, Path.Combine(Docs, Path.GetFileName(file)));
        }
    }

    public string Root { get; }
    public string Docs { get; }
    public string PathOf(string name) => Path.Combine(Docs, name);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
