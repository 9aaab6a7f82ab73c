using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContentPS.Internal;

namespace ContentPS.Completion;

/// <summary>
/// Completes a <c>-Source</c>/<c>-Destination</c> that is a registry reference or the store
/// (<see cref="StoreLocationSyntax"/>): after <c>store:</c>, the store's image record names
/// (<see cref="ImageNameCompleter"/>) with the prefix; otherwise registry hosts and repositories
/// (<see cref="RegistryHostCompleter"/>), then <c>store:</c> itself when the word is a prefix of it.
/// </summary>
public sealed class ImageLocationCompleter : IArgumentCompleter
{
    private readonly ImageNameCompleter _names = new();
    private readonly RegistryHostCompleter _registries = new();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        if (StoreLocationSyntax.TryParse(word, out string name))
        {
            return _names.CompleteArgument(commandName, parameterName, name, commandAst, fakeBoundParameters)
                .Select(result => new CompletionResult(StoreLocationSyntax.Format(result.CompletionText), StoreLocationSyntax.Format(result.ListItemText),
                    CompletionResultType.ParameterValue, "image record of the local store: " + result.ToolTip))
                .ToArray();
        }

        var registries = _registries.CompleteArgument(commandName, parameterName, word, commandAst, fakeBoundParameters);
        return StoreLocationSyntax.Prefix.StartsWith(word, StringComparison.OrdinalIgnoreCase)
            ? registries.Append(new CompletionResult(StoreLocationSyntax.Prefix, StoreLocationSyntax.Prefix, CompletionResultType.ParameterValue,
                "the local content store (-Store): store:<image record name>"))
            : registries;
    }
}
