using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContentPS.Engine.Oci;

namespace ContentPS.Completion;

/// <summary>
/// Completes <c>-MediaType</c> filters of <c>Get-ImageDescriptor</c>: the categories (<c>index</c>, <c>manifest</c>,
/// <c>config</c>, <c>layer*</c>) first, then the full media types the module knows, by case-insensitive prefix.
/// </summary>
public sealed class MediaTypeFilterCompleter : IArgumentCompleter
{
    private static readonly (string Text, string Description)[] Categories =
    [
        ("index", "OCI image indexes and Docker manifest lists"),
        ("manifest", "OCI and Docker image manifests"),
        ("config", "image configs"),
        ("layer*", "every filesystem layer"),
    ];

    private static readonly string[] Known =
    [
        MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.OciConfig, MediaTypes.OciEmpty,
        MediaTypes.OciLayer, MediaTypes.OciLayerGzip, MediaTypes.OciLayerZstd,
        MediaTypes.DockerManifestList, MediaTypes.DockerManifest, MediaTypes.DockerConfig,
        MediaTypes.DockerLayer, MediaTypes.DockerLayerGzip, MediaTypes.DockerLayerZstd,
    ];

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? "").Trim('\'', '"');
        return Categories
            .Where(category => category.Text.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(category => new CompletionResult(category.Text, category.Text, CompletionResultType.ParameterValue, category.Description))
            .Concat(Known
                .Where(type => type.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(type => new CompletionResult($"'{type}'", type, CompletionResultType.ParameterValue, type)))
            .ToList();
    }
}
