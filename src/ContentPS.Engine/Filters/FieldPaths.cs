namespace ContentPS.Engine.Filters;

/// <summary>Building blocks for <see cref="IFieldAdaptor"/> implementations.</summary>
public static class FieldPaths
{
    /// <summary>Not present.</summary>
    public static (string Value, bool Present) Absent => ("", false);

    /// <summary>
    /// Looks a map up by the rest of a field path (after its first component, e.g. after "labels"):
    /// the remaining components joined by "." form the key, so <c>labels.a.b</c> and <c>labels."a.b"</c>
    /// both name key <c>a.b</c>. An empty rest asks whether the map has any entry (value "").
    /// </summary>
    public static (string Value, bool Present) FromMap(IReadOnlyList<string> fieldPath, int start, IReadOnlyDictionary<string, string>? map)
    {
        ArgumentNullException.ThrowIfNull(fieldPath);
        if (map is null || map.Count == 0) return Absent;
        if (start >= fieldPath.Count) return ("", true);
        var key = start == fieldPath.Count - 1 ? fieldPath[start] : string.Join(".", fieldPath.Skip(start));
        return map.TryGetValue(key, out var value) ? (value, true) : Absent;
    }
}
