namespace ContentPS.TestFixtures.Cli;

/// <summary>push --layout DIR --ref NAME --host H --repository R --tag T [--username U --password P]: skopeo push plus digest check.</summary>
internal static class PushCommand
{
    public static async Task<int> RunAsync(CliArguments arguments)
    {
        var layout = arguments.Required("layout");
        var refName = arguments.Optional("ref") ?? "latest";
        var target = new PushTarget(
            arguments.Required("host"),
            arguments.Required("repository"),
            arguments.Optional("tag") ?? refName,
            arguments.Optional("username"),
            arguments.Optional("password"));
        await LayoutPublisher.PushAsync(layout, refName, target).ConfigureAwait(false);
        var (mediaType, digest, size) = LayoutIndex.Find(layout, refName);
        CliJson.WriteLine(new { reference = target.Reference, mediaType, digest, size });
        return 0;
    }
}
