using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContentPS.Internal.ScriptHandlers;

namespace ContentPS.Completion;

/// <summary>Completes the built-in handler names of <c>Invoke-ImageHandler -Handler</c> (Children, FilterPlatforms, FetchToStore) by prefix, case-insensitively.</summary>
public sealed class HandlerNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        return BuiltInHandler.All
            .Where(handler => handler.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(handler => new CompletionResult("'" + handler.Name + "'", handler.Name, CompletionResultType.ParameterValue, handler.Description));
    }
}
