namespace ContentPS.TestFixtures;

/// <summary>The outcome of one external tool run: exit code and captured output.</summary>
public sealed record ToolResult(string FileName, IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    public string CommandLine => FileName + " " + string.Join(' ', Arguments);

    /// <summary>Throws a <see cref="FixtureException"/> carrying both output streams when the tool failed.</summary>
    public ToolResult EnsureSuccess()
    {
        if (!Succeeded)
        {
            throw new FixtureException(
                $"'{CommandLine}' exited with {ExitCode}.{Environment.NewLine}stdout: {StandardOutput.Trim()}{Environment.NewLine}stderr: {StandardError.Trim()}");
        }

        return this;
    }
}
