namespace ContentPS.Internal.ScriptHandlers;

/// <summary>The handlers of the engine that <c>Invoke-ImageHandler -Handler</c> takes by name, with what each does.</summary>
internal static class BuiltInHandler
{
    /// <summary>Adds the descriptor's built-in children (an index's manifests, a manifest's config then layers), selected for -Platform as a pull selects them.</summary>
    public const string Children = nameof(Children);

    /// <summary>Keeps, of the children gathered so far in the chain, those without a platform and those of -Platform (every one with -AllPlatforms).</summary>
    public const string FilterPlatforms = nameof(FilterPlatforms);

    /// <summary>Fetches the descriptor's content into -Store (the pull's fetch), then labels it with its children and where it came from.</summary>
    public const string FetchToStore = nameof(FetchToStore);

    /// <summary>Every name with its description, in the order they are completed.</summary>
    public static IReadOnlyList<(string Name, string Description)> All { get; } =
    [
        (Children, "the descriptor's children (index: manifests; manifest: config, layers), for -Platform"),
        (FilterPlatforms, "keeps the children gathered so far that have no platform or one of -Platform"),
        (FetchToStore, "fetches the descriptor's content into -Store and labels it"),
    ];

    /// <summary>The canonical spelling of <paramref name="name"/> (case-insensitive), or null when it names no built-in handler.</summary>
    public static string? Find(string name) =>
        All.Select(handler => handler.Name).FirstOrDefault(known => string.Equals(known, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
