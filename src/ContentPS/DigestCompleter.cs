using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContentPS.Engine.Content;
using ContentPS.Engine.Oci;

namespace ContentPS;

/// <summary>
/// Completes <c>-Digest</c> with the digests of the store's blobs whose digest (or hex part) starts with what
/// was typed. Uses <c>-Store</c> when it is already bound, else the default store; never creates a store.
/// </summary>
public sealed class DigestCompleter : IArgumentCompleter
{
    private const int MaxResults = 200;

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        string? root = StoreRoot(fakeBoundParameters);
        if (root is null || !File.Exists(System.IO.Path.Combine(root, "oci-layout")))
        {
            return [];
        }

        var results = new List<CompletionResult>();
        try
        {
            var store = LocalContentStore.Open(root);
            var blobs = store.WalkAsync().ToBlockingEnumerable();
            foreach (ContentInfo info in blobs)
            {
                string digest = info.Digest.ToString();
                if (!digest.StartsWith(word, StringComparison.OrdinalIgnoreCase) && !info.Digest.Encoded.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                string labels = string.Join(", ", info.Labels.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));
                string tooltip = $"{digest}\n{info.Size} bytes, created {info.CreatedAt:u}" + (labels.Length > 0 ? $"\n{labels}" : "");
                results.Add(new CompletionResult(digest, $"{info.Digest.Algorithm}:{info.Digest.Short} ({info.Size} B)", CompletionResultType.ParameterValue, tooltip));
                if (results.Count >= MaxResults) break;
            }
        }
        catch (Exception)
        {
            // Completion never fails loudly: an unreadable store completes nothing.
            return [];
        }

        return results.OrderBy(result => result.CompletionText, StringComparer.Ordinal);
    }

    internal static string? StoreRoot(IDictionary fakeBoundParameters)
    {
        object? bound = fakeBoundParameters?["Store"];
        if (bound is PSObject wrapper) bound = wrapper.BaseObject;
        if (bound is not string store || store.Length == 0)
        {
            return StoreLocation.DefaultRoot();
        }

        if (System.IO.Path.IsPathFullyQualified(store))
        {
            return store;
        }

        try
        {
            // Relative to PowerShell's current location (not the process's): ask the running session.
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            shell.AddScript("param($p) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p)").AddArgument(store);
            if (shell.Invoke<string>() is { Count: 1 } resolved && !string.IsNullOrEmpty(resolved[0]))
            {
                return resolved[0];
            }
        }
        catch (Exception)
        {
            // Fall back to the process's current folder.
        }

        return System.IO.Path.GetFullPath(store);
    }
}
