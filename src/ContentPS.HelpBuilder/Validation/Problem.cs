namespace ContentPS.HelpBuilder.Validation;

/// <summary>One thing wrong with the docs, at a file and one-based line.</summary>
internal sealed record Problem(string Path, int Line, string Message)
{
    public override string ToString() => $"{Path}:{Line}: error: {Message}";
}
