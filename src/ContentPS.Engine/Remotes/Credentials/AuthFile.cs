using System.Text.Json;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Remotes.Credentials;

/// <summary>
/// A Docker <c>config.json</c> or containers <c>auth.json</c>: the parts that say where credentials
/// are (<c>auths</c>, <c>credHelpers</c>, <c>credsStore</c>); everything else is ignored.
/// </summary>
internal sealed class AuthFile
{
    private AuthFile(string path, IReadOnlyList<AuthEntry> auths, IReadOnlyDictionary<string, string> credHelpers, string? credsStore)
    {
        Path = path;
        Auths = auths;
        CredHelpers = credHelpers;
        CredsStore = credsStore;
    }

    public string Path { get; }

    public IReadOnlyList<AuthEntry> Auths { get; }

    /// <summary>Credential helper names by registry key.</summary>
    public IReadOnlyDictionary<string, string> CredHelpers { get; }

    public string? CredsStore { get; }

    /// <summary>Reads <paramref name="path"/>; null when the file does not exist or is empty.</summary>
    /// <exception cref="InvalidArgumentException">The file is not JSON of this shape (ErrorId InvalidCredentialConfig, target the path).</exception>
    public static AuthFile? Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.New(ErrorClass.InvalidArgument, $"The credentials file {path} cannot be read: {e.Message}", ErrorIds.InvalidCredentialConfig, e, path);
        }

        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(path, "is not a JSON object");
            }

            return new AuthFile(path, ReadAuths(root, path), ReadCredHelpers(root, path), StringOrNull(root, "credsStore", path));
        }
        catch (JsonException e)
        {
            // JsonException's message quotes no content, only the position.
            throw Errors.New(ErrorClass.InvalidArgument, $"The credentials file {path} is not valid JSON (line {e.LineNumber + 1}).",
                ErrorIds.InvalidCredentialConfig, null, path);
        }
    }

    private static List<AuthEntry> ReadAuths(JsonElement root, string path)
    {
        var entries = new List<AuthEntry>();
        if (Section(root, "auths", path) is not { } auths)
        {
            return entries;
        }

        foreach (var entry in auths.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(path, $"has an 'auths' entry '{entry.Name}' that is not an object");
            }

            entries.Add(new AuthEntry(entry.Name,
                StringOrNull(entry.Value, "auth", path),
                StringOrNull(entry.Value, "username", path),
                StringOrNull(entry.Value, "password", path),
                StringOrNull(entry.Value, "identitytoken", path)));
        }

        return entries;
    }

    private static Dictionary<string, string> ReadCredHelpers(JsonElement root, string path)
    {
        var helpers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Section(root, "credHelpers", path) is not { } element)
        {
            return helpers;
        }

        foreach (var helper in element.EnumerateObject())
        {
            if (helper.Value.ValueKind != JsonValueKind.String)
            {
                throw Malformed(path, $"has a 'credHelpers' entry '{helper.Name}' that is not a string");
            }

            helpers[helper.Name] = helper.Value.GetString()!;
        }

        return helpers;
    }

    // An object property, or null when absent or null; any other kind is malformed.
    private static JsonElement? Section(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var section) || section.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return section.ValueKind == JsonValueKind.Object ? section : throw Malformed(path, $"has {Article(name)} '{name}' that is not an object");
    }

    private static string Article(string name) => "aeiou".Contains(char.ToLowerInvariant(name[0]), StringComparison.Ordinal) ? "an" : "a";

    // A string property, or null when absent or null; any other kind is malformed (named, not quoted: it may be a secret).
    private static string? StringOrNull(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Malformed(path, $"has a '{name}' that is not a string");
    }

    private static ClassifiedException Malformed(string path, string problem) =>
        Errors.New(ErrorClass.InvalidArgument, $"The credentials file {path} {problem}.", ErrorIds.InvalidCredentialConfig, target: path);
}
