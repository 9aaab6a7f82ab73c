using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContentPS.Internal;

namespace ContentPS.Completion;

/// <summary>
/// Completes <c>Copy-Blob -Source</c>/<c>-Destination</c>: <c>store:</c> (the content store) when it matches
/// what was typed, then what <see cref="RegistryHostCompleter"/> offers (registry hosts and repositories).
/// </summary>
public sealed class BlobCopyEndpointCompleter : IArgumentCompleter
{
    private readonly RegistryHostCompleter _registries = new();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        var store = BlobCopyEndpoint.StoreWord.StartsWith(word, StringComparison.OrdinalIgnoreCase)
            ? [new CompletionResult(BlobCopyEndpoint.StoreWord, BlobCopyEndpoint.StoreWord, CompletionResultType.ParameterValue,
                "the content store (-Store, else the default store)")]
            : Array.Empty<CompletionResult>();
        return store.Concat(_registries.CompleteArgument(commandName, parameterName, wordToComplete ?? "", commandAst, fakeBoundParameters));
    }
}
