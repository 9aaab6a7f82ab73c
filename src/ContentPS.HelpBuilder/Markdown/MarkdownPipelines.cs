using Markdig;

namespace ContentPS.HelpBuilder.Markdown;

internal static class MarkdownPipelines
{
    /// <summary>YAML front matter and pipe tables, nothing else: platyPS pages use no other extension.</summary>
    public static MarkdownPipeline Help { get; } = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePipeTables().Build();
}
