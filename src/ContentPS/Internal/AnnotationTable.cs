using System.Collections;

namespace ContentPS.Internal;

/// <summary>Annotations as the output objects carry them: a Hashtable sorted by key, empty when there are none.</summary>
internal static class AnnotationTable
{
    public static Hashtable From(IReadOnlyDictionary<string, string>? annotations)
    {
        var table = new Hashtable(StringComparer.Ordinal);
        foreach (var pair in (annotations ?? new Dictionary<string, string>()).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            table[pair.Key] = pair.Value;
        }

        return table;
    }
}
