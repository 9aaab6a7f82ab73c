namespace ContentPS.TestFixtures.Cli;

/// <summary>layout &lt;scenario&gt; --out &lt;dir&gt; [--ref NAME] [--layers N] [--layer-size BYTES] [--seed S]: prints the LayoutResult JSON.</summary>
internal static class LayoutCommand
{
    public static int Run(CliArguments arguments)
    {
        if (arguments.Positionals.Count != 1)
        {
            throw new CliUsageException("layout needs exactly one scenario name.");
        }

        LayoutScenario scenario;
        try
        {
            scenario = ImageLayouts.ParseScenario(arguments.Positionals[0]);
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message);
        }

        var options = new LayoutOptions
        {
            RefName = arguments.Optional("ref") ?? "latest",
            LayerCount = (int?)arguments.OptionalInt64("layers"),
            LayerSize = arguments.OptionalInt64("layer-size"),
            Seed = arguments.OptionalInt64("seed") ?? 1,
        };
        CliJson.WriteLine(ImageLayouts.Create(scenario, arguments.Required("out"), options));
        return 0;
    }
}
