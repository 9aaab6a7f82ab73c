namespace ContentPS.HelpBuilder;

/// <summary>The command line: --docs DIR --metadata FILE --out DIR [--update].</summary>
internal sealed record BuildOptions(string Docs, string Metadata, string Out, bool Update)
{
    public const string Usage = "usage: ContentPS.HelpBuilder --docs <dir> --metadata <commands.json> --out <dir> [--update]";

    public static BuildOptions? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        string? docs = null, metadata = null, output = null;
        var update = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--docs" when i + 1 < args.Count: docs = args[++i]; break;
                case "--metadata" when i + 1 < args.Count: metadata = args[++i]; break;
                case "--out" when i + 1 < args.Count: output = args[++i]; break;
                case "--update": update = true; break;
                default:
                    error.WriteLine($"unknown or incomplete argument '{args[i]}'");
                    error.WriteLine(Usage);
                    return null;
            }
        }
        if (docs is null || metadata is null || output is null)
        {
            error.WriteLine(Usage);
            return null;
        }
        return new BuildOptions(Path.GetFullPath(docs), Path.GetFullPath(metadata), Path.GetFullPath(output), update);
    }
}
