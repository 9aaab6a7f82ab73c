using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Content.Leases;

/// <summary>
/// The files of one lease folder, <c>&lt;root&gt;/contentps/leases/&lt;id&gt;/</c>: <c>lock</c> (held by the
/// owner for the lease's life), <c>lease.json</c> (id, creation time, labels, owner pid, written once) and
/// <c>resources</c> (one line per protected thing, appended: <c>content &lt;digest&gt;</c> or
/// <c>ingest &lt;ingest folder name&gt;</c>).
/// </summary>
internal static class LeaseFiles
{
    public const string Lock = "lock";
    public const string Metadata = "lease.json";
    public const string Resources = "resources";
    public const string ContentKind = "content";
    public const string IngestKind = "ingest";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string DirectoryOf(string root) => Path.Combine(root, StoreLayout.MetadataDirectoryName, "leases");

    public static byte[] SerializeMetadata(string id, DateTimeOffset createdAt, IReadOnlyDictionary<string, string> labels)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("createdAt", createdAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            writer.WriteNumber("pid", Environment.ProcessId);
            writer.WriteStartObject("labels");
            foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal)) writer.WriteString(key, value);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The lease in <paramref name="directory"/>, or null when it is not (or no longer) a complete lease folder.</summary>
    public static LeaseInfo? Read(string directory)
    {
        byte[] json;
        try
        {
            json = File.ReadAllBytes(Path.Combine(directory, Metadata));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        string? id = null;
        DateTimeOffset createdAt = default;
        var pid = 0;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String) id = idElement.GetString();
            if (root.TryGetProperty("createdAt", out var created) && created.ValueKind == JsonValueKind.String)
            {
                _ = DateTimeOffset.TryParse(created.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out createdAt);
            }
            if (root.TryGetProperty("pid", out var pidElement) && pidElement.ValueKind == JsonValueKind.Number) _ = pidElement.TryGetInt32(out pid);
            if (root.TryGetProperty("labels", out var labelsElement) && labelsElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in labelsElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String) labels[property.Name] = property.Value.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            return null; // torn only if its writer died before the rename: a dead lease
        }
        if (id is null) return null;

        var (content, ingests) = ReadResources(Path.Combine(directory, Resources));
        return new LeaseInfo
        {
            Id = id,
            CreatedAt = createdAt,
            Labels = labels,
            ExpiresAt = ExpiryOf(labels),
            Alive = FileLock.IsHeld(Path.Combine(directory, Lock)),
            ProcessId = pid,
            Content = content,
            IngestKeys = ingests,
        };
    }

    public static DateTimeOffset? ExpiryOf(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(GcLabels.Expire, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expiry)
                ? expiry
                : null;

    public static string ContentLine(Digest digest) => $"{ContentKind} {digest}\n";

    public static string IngestLine(string ingestKey) => $"{IngestKind} {ingestKey}\n";

    /// <summary>Reads the resources file; a line its writer did not finish (it died mid-append) is ignored.</summary>
    private static (List<Digest> Content, List<string> Ingests) ReadResources(string path)
    {
        var content = new List<Digest>();
        var ingests = new List<string>();
        string text;
        try
        {
            // The owner appends with FileShare.ReadWrite; read alike.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (content, ingests);
        }
        var complete = text.LastIndexOf('\n');
        foreach (var line in text[..(complete + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0) continue;
            var kind = line[..space];
            var value = line[(space + 1)..];
            if (kind == ContentKind && Digest.TryParse(value, out var digest)) content.Add(digest);
            else if (kind == IngestKind && value.Length == 64 && value.All(char.IsAsciiHexDigitLower)) ingests.Add(value);
        }
        return (content, ingests);
    }

    /// <summary>Removes a lease folder: renamed aside first (so it stops being a lease at once), then deleted.</summary>
    public static void Remove(string directory)
    {
        var trash = Path.Combine(Path.GetDirectoryName(directory)!, $".trash-{Guid.NewGuid():N}");
        try
        {
            Directory.Move(directory, trash);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            trash = directory; // Windows will not move a folder with an open file
        }
        try
        {
            Directory.Delete(trash, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    public static NotFoundException Gone(string id) =>
        new($"lease {id} no longer exists: it expired and was collected, or was deleted", ErrorIds.LeaseNotFound) { Target = id };

    public static void ValidateId(string id)
    {
        if (id.Length is 0 or > 128 || id[0] == '.' || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new InvalidArgumentException(
                $"lease id \"{id}\" is not valid: use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'",
                ErrorIds.InvalidLeaseId) { Target = id };
        }
    }

    public static string NewId() =>
        string.Create(CultureInfo.InvariantCulture, $"lease-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..12]}");
}
