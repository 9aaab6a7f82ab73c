using ContentPS.HelpBuilder;

// Builds MAML and about_*.help.txt from docs/*.md (platyPS schema) and Export-CommandMetadata.ps1's JSON.
// Exit codes: 0 help written; 1 the docs have problems (each printed as file:line: error: message); 2 bad usage or input.
var options = BuildOptions.Parse(args, Console.Error);
if (options is null) return HelpBuild.UsageError;
try
{
    return new HelpBuild(options, Console.Out, Console.Error).Run();
}
catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return HelpBuild.UsageError;
}
