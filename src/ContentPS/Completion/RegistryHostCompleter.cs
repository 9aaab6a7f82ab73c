using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Remotes;
using ContentPS.Engine.Remotes.Hosts;

namespace ContentPS.Completion;

/// <summary>
/// Completes repository arguments (<c>-Repository</c>, <c>-Destination</c>, references): registry hosts as
/// <c>host/</c> prefixes — those <see cref="KnownRegistries"/> finds in the hosts directories and the
/// Docker and containers credential files, plus the registries of the local store's image records —
/// then the repositories of those image records (<c>docker.io/library/ubuntu</c>). A word matches by
/// prefix, case-insensitively. The store is <c>-Store</c> when already bound, else the default store;
/// completion never creates a store and never fails.
/// </summary>
public sealed class RegistryHostCompleter : IArgumentCompleter
{
    private const int MaxResults = 200;

    /// <summary>The completions for <paramref name="wordToComplete"/>: matching <c>host/</c> prefixes (sorted), then matching repositories (sorted).</summary>
    public static IEnumerable<(string Text, string Description)> Match(string? wordToComplete, IEnumerable<string> registries, IEnumerable<string> repositories)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        var hosts = registries
            .Select(r => r.TrimEnd('/') + "/")
            .Where(prefix => prefix.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(prefix => (prefix, $"registry {prefix.TrimEnd('/')}"));
        var names = repositories
            .Where(repository => repository.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(repository => (repository, $"repository {repository} (in the local store)"));
        return hosts.Concat(names).Take(MaxResults);
    }

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<string> registries;
        try
        {
            registries = KnownRegistries.List(new RegistryClientOptions());
        }
        catch (Exception)
        {
            registries = [];
        }

        var stored = StoreReferences(DigestCompleter.StoreRoot(fakeBoundParameters));
        return Match(wordToComplete, registries.Concat(stored.Select(r => r.Domain)), stored.Select(r => r.FullName))
            .Select(m => new CompletionResult(m.Text, m.Text, CompletionResultType.ParameterValue, m.Description));
    }

    // The store's image records whose names are references.
    private static IReadOnlyList<ImageReference> StoreReferences(string? root)
    {
        if (root is null || !File.Exists(Path.Combine(root, ImageLayout.IndexFileName)))
        {
            return [];
        }

        try
        {
            var records = Task.Run(() => new ImageRecordStore(root).ListAsync()).GetAwaiter().GetResult();
            return records
                .Select(record => ImageReference.TryParse(record.Name, out var reference, out _) ? reference : null)
                .OfType<ImageReference>()
                .ToArray();
        }
        catch (Exception)
        {
            // An unreadable store completes no repositories.
            return [];
        }
    }
}
