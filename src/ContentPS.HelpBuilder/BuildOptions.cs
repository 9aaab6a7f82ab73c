namespace ContentPS.HelpBuilder;

/// <summary>
/// The command line: --docs DIR --metadata FILE --out DIR [--out DIR …] [--update]. Each --out folder gets the
/// same files: Get-Help looks in &lt;ModuleBase&gt;/en-US, and ModuleBase is the folder of the .psd1 that was imported.
/// </summary>
internal sealed record BuildOptions(string Docs, string Metadata, IReadOnlyList<string> Outs, bool Update)
{
    public const string Usage = "usage: ContentPS.HelpBuilder --docs <dir> --metadata <commands.json> --out <dir> [--out <dir> ...] [--update]";

    public static BuildOptions? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        string? docs = null, metadata = null;
        var outs = new List<string>();
        var update = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--docs" when i + 1 < args.Count: docs = args[++i]; break;
                case "--metadata" when i + 1 < args.Count: metadata = args[++i]; break;
                case "--out" when i + 1 < args.Count: outs.Add(Path.GetFullPath(args[++i])); break;
                case "--update": update = true; break;
                default:
                    error.WriteLine($"unknown or incomplete argument '{args[i]}'");
                    error.WriteLine(Usage);
                    return null;
            }
        }
        if (docs is null || metadata is null || outs.Count == 0)
        {
            error.WriteLine(Usage);
            return null;
        }
        return new BuildOptions(Path.GetFullPath(docs), Path.GetFullPath(metadata), outs.Distinct().ToList(), update);
    }
}
