using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;

namespace ContentPS.Completion;

/// <summary>
/// Completes <c>-Reference</c>/<c>-Name</c> with the names of the store's image records
/// (<c>index.json</c>). A name matches when it, or its familiar form (<c>alpine:3.20</c> for
/// <c>docker.io/library/alpine:3.20</c>), starts with what was typed, case-insensitively; names come
/// out sorted. Uses <c>-Store</c> when it is already bound, else the default store; never creates a store.
/// </summary>
public sealed class ImageNameCompleter : IArgumentCompleter
{
    private const int MaxResults = 200;

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        string? root = DigestCompleter.StoreRoot(fakeBoundParameters);
        if (root is null || !File.Exists(Path.Combine(root, ImageLayout.IndexFileName)))
        {
            return [];
        }

        IReadOnlyList<ImageRecord> records;
        try
        {
            records = new ImageRecordStore(root).ListAsync().GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Completion never fails loudly: an unreadable index completes nothing.
            return [];
        }

        return records
            .Where(record => Matches(record.Name, word))
            .GroupBy(record => record.Name, StringComparer.Ordinal)
            .Select(group => group.First())
            .OrderBy(record => record.Name, StringComparer.Ordinal)
            .Take(MaxResults)
            .Select(record => new CompletionResult(
                record.Name,
                record.Name,
                CompletionResultType.ParameterValue,
                $"{record.Name}\n{record.Target.MediaType}\n{record.Target.Digest} ({record.Target.Size} B)"))
            .ToArray();
    }

    private static bool Matches(string name, string word) =>
        name.StartsWith(word, StringComparison.OrdinalIgnoreCase)
        || (ImageReference.TryParse(name, out ImageReference? reference, out _)
            && reference!.FamiliarString.StartsWith(word, StringComparison.OrdinalIgnoreCase));
}
