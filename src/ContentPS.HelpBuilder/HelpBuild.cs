using System.Text;
using ContentPS.HelpBuilder.About;
using ContentPS.HelpBuilder.Maml;
using ContentPS.HelpBuilder.Markdown;
using ContentPS.HelpBuilder.Metadata;
using ContentPS.HelpBuilder.Update;
using ContentPS.HelpBuilder.Validation;

namespace ContentPS.HelpBuilder;

/// <summary>One run: optionally update the pages, check them all, and write help only when none has a problem.</summary>
internal sealed class HelpBuild(BuildOptions options, TextWriter output, TextWriter error)
{
    private static readonly UTF8Encoding Utf8 = new(false);

    public const int Success = 0;
    public const int DocsProblems = 1;
    public const int UsageError = 2;

    public int Run()
    {
        var metadata = MetadataDocument.Load(options.Metadata);
        var moduleName = metadata.Module is { Length: > 0 } name ? name : "ContentPS";
        var helpFileName = $"{moduleName}.dll-Help.xml";
        if (options.Update) UpdatePages(metadata, helpFileName, moduleName);
        if (!Directory.Exists(options.Docs))
        {
            error.WriteLine($"{options.Docs}: error: the docs folder does not exist");
            return DocsProblems;
        }

        var problems = new List<Problem>();
        var commands = CheckCommandPages(metadata, helpFileName, moduleName, problems);
        var abouts = CheckAboutPages(moduleName, problems);
        if (problems.Count > 0)
        {
            foreach (var problem in problems.OrderBy(p => p.Path, StringComparer.Ordinal).ThenBy(p => p.Line)) error.WriteLine(problem);
            error.WriteLine($"{problems.Count} problem(s) in {options.Docs}; help was not written.");
            return DocsProblems;
        }

        var maml = MamlWriter.Build(commands);
        foreach (var folder in options.Outs)
        {
            Directory.CreateDirectory(folder);
            var mamlPath = Path.Combine(folder, helpFileName);
            MamlWriter.Save(maml, mamlPath);
            output.WriteLine($"Wrote {mamlPath} ({commands.Count} command(s))");
            foreach (var about in abouts)
            {
                var path = Path.Combine(folder, Path.GetFileNameWithoutExtension(about.Path) + ".help.txt");
                File.WriteAllText(path, AboutTextWriter.Render(about), Utf8);
                output.WriteLine($"Wrote {path}");
            }
        }
        return Success;
    }

    private void UpdatePages(MetadataDocument metadata, string helpFileName, string moduleName)
    {
        Directory.CreateDirectory(options.Docs);
        foreach (var command in metadata.Commands)
        {
            var path = Path.Combine(options.Docs, command.Name + ".md");
            if (!File.Exists(path))
            {
                File.WriteAllText(path, MarkdownGenerator.Skeleton(command, helpFileName, moduleName), Utf8);
                output.WriteLine($"Created {path}: fill in every {{{{ … }}}} placeholder");
                continue;
            }
            var before = File.ReadAllText(path);
            var (after, changes) = PageUpdater.Update(before, command);
            if (after == before) continue;
            File.WriteAllText(path, after, Utf8);
            output.WriteLine($"Updated {path}: {string.Join(", ", changes)}");
        }
    }

    private List<(CommandPage, CommandMetadata)> CheckCommandPages(MetadataDocument metadata, string helpFileName, string moduleName, List<Problem> problems)
    {
        var pages = Directory.EnumerateFiles(options.Docs, "*.md")
            .Where(path => !IsAboutPage(path))
            .Select(CommandPageParser.Load)
            .ToDictionary(page => Path.GetFileNameWithoutExtension(page.Path), StringComparer.OrdinalIgnoreCase);
        var result = new List<(CommandPage, CommandMetadata)>();
        foreach (var command in metadata.Commands)
        {
            if (!pages.TryGetValue(command.Name, out var page))
            {
                problems.Add(new Problem(Path.Combine(options.Docs, command.Name + ".md"), 1,
                    $"{command.Name} has no help page; write it (or run './build.ps1 Docs -Update' for a skeleton)"));
                continue;
            }
            problems.AddRange(CommandPageValidator.Validate(page, command, helpFileName, moduleName));
            result.Add((page, command));
        }
        foreach (var page in pages.Values.Where(page => metadata.Find(Path.GetFileNameWithoutExtension(page.Path)) is null))
        {
            problems.Add(new Problem(page.Path, 1, $"documents '{Path.GetFileNameWithoutExtension(page.Path)}', which the module does not export"));
        }
        return result;
    }

    private List<AboutPage> CheckAboutPages(string moduleName, List<Problem> problems)
    {
        var abouts = Directory.EnumerateFiles(options.Docs, "about_*.md").Order(StringComparer.Ordinal).Select(AboutPageParser.Load).ToList();
        var required = $"about_{moduleName}";
        if (!abouts.Any(about => Path.GetFileNameWithoutExtension(about.Path).Equals(required, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add(new Problem(Path.Combine(options.Docs, required + ".md"), 1, $"the module needs an about page, {required}.md (# {required}, ## SHORT DESCRIPTION, ## LONG DESCRIPTION)"));
        }
        foreach (var about in abouts) problems.AddRange(AboutPageValidator.Validate(about));
        return abouts;
    }

    private static bool IsAboutPage(string path) => Path.GetFileName(path).StartsWith("about_", StringComparison.OrdinalIgnoreCase);
}
