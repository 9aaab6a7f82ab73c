using System.Text.Json;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Oci;

/// <summary>
/// Turns manifest and index bodies from untrusted sources into <see cref="Manifest"/> and
/// <see cref="ImageIndex"/>, refusing anything oversized, malformed, ambiguous or Docker schema 1.
/// Shape errors are <see cref="InvalidArgumentException"/> (<c>InvalidManifest</c>,
/// <c>MediaTypeMismatch</c>), an oversized body is ResourceExhausted (<c>ManifestTooLarge</c>); schema 1 and media types that are not an
/// index or manifest are <see cref="UnimplementedException"/> (<c>UnsupportedSchema1</c>,
/// <c>UnsupportedMediaType</c>); embedded <c>data</c> that does not match is <see cref="FailedPreconditionException"/>.
/// </summary>
public static class ManifestParser
{
    /// <summary>The largest manifest or index body accepted: 4 MiB, as registries commonly enforce.</summary>
    public const int MaxManifestSize = 4 * 1024 * 1024;


    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary>
    /// Call before reading a body: throws <c>ManifestTooLarge</c> when a known size (Content-Length,
    /// descriptor size) exceeds <see cref="MaxManifestSize"/>. Null or negative means unknown and passes;
    /// read such bodies with <see cref="ReadBodyAsync"/>, which stops at the limit.
    /// </summary>
    public static void EnsureSizeAllowed(long? size, string? target = null)
    {
        if (size > MaxManifestSize)
        {
            throw TooLarge(size.Value, target);
        }
    }

    /// <summary>
    /// Reads a manifest body, never buffering more than <see cref="MaxManifestSize"/> bytes (+1 to
    /// detect excess) whatever <paramref name="declaredSize"/> claims.
    /// </summary>
    public static async Task<byte[]> ReadBodyAsync(Stream stream, long? declaredSize = null, string? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        EnsureSizeAllowed(declaredSize, target);
        using var body = new MemoryStream(declaredSize is > 0 ? (int)declaredSize.Value : 16 * 1024);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxManifestSize)
            {
                throw TooLarge(body.Length + read, target, atLeast: true);
            }
            body.Write(buffer, 0, read);
        }
        return body.ToArray();
    }

    /// <summary>Parses an index (OCI image index or Docker manifest list).</summary>
    public static ImageIndex ParseIndex(ReadOnlySpan<byte> body, string? declaredMediaType, string? target = null) =>
        ParseCore(body, declaredMediaType, target, Expect.Index).Index!;

    /// <summary>Parses a manifest (OCI image manifest or Docker schema 2 manifest).</summary>
    public static Manifest ParseManifest(ReadOnlySpan<byte> body, string? declaredMediaType, string? target = null) =>
        ParseCore(body, declaredMediaType, target, Expect.Manifest).Manifest!;

    /// <summary>
    /// Parses an index or a manifest. <paramref name="declaredMediaType"/> is the Content-Type or
    /// descriptor media type (parameters ignored); when it is missing or generic
    /// (<c>application/octet-stream</c>, <c>application/json</c>, <c>text/plain</c>) the type comes from the body.
    /// </summary>
    public static ParsedManifest Parse(ReadOnlySpan<byte> body, string? declaredMediaType, string? target = null) =>
        ParseCore(body, declaredMediaType, target, Expect.Any);

    /// <summary>
    /// The media type of a manifest body served without a usable Content-Type: its <c>mediaType</c>
    /// field, else schema 1 by its shape, else an OCI index when it has <c>manifests</c>, else an OCI
    /// manifest when it has <c>config</c> or <c>layers</c>; null when the body is not a JSON object or none applies.
    /// </summary>
    public static string? DetectMediaType(ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxManifestSize)
        {
            return null;
        }
        try
        {
            using var document = ParseDocument(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? Detect(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>True for declared types that say nothing about the document (so the body decides).</summary>
    public static bool IsGenericMediaType(string? mediaType)
    {
        var m = MediaTypes.StripParameters(mediaType);
        return m.Length == 0
            || m.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            || m.Equals("binary/octet-stream", StringComparison.OrdinalIgnoreCase)
            || m.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || m.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
    }

    private enum Expect
    {
        Any,
        Index,
        Manifest,
    }

    private static ParsedManifest ParseCore(ReadOnlySpan<byte> body, string? declaredMediaType, string? target, Expect expect)
    {
        if (body.Length > MaxManifestSize)
        {
            throw TooLarge(body.Length, target);
        }
        var declared = MediaTypes.StripParameters(declaredMediaType);
        if (MediaTypes.IsSchema1(declared))
        {
            throw Schema1(target);
        }
        var declaredUsable = !IsGenericMediaType(declared);
        if (declaredUsable && !MediaTypes.IsIndex(declared) && !MediaTypes.IsManifest(declared))
        {
            throw Unsupported(declared, target);
        }

        JsonDocument document;
        try
        {
            document = ParseDocument(body);
        }
        catch (JsonException ex)
        {
            throw Invalid($"manifest is not valid JSON: {ex.Message}", target, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"manifest must be a JSON object, got {root.ValueKind}", target);
            }

            string? bodyType = null;
            if (root.TryGetProperty("mediaType", out var mediaTypeElement))
            {
                if (mediaTypeElement.ValueKind != JsonValueKind.String)
                {
                    throw Invalid($"manifest field \"mediaType\" must be a string, got {mediaTypeElement.ValueKind}", target);
                }
                bodyType = mediaTypeElement.GetString()!;
                if (MediaTypes.IsSchema1(bodyType))
                {
                    throw Schema1(target);
                }
            }

            CheckSchemaVersion(root, target);

            if (declaredUsable && bodyType is not null && !string.Equals(bodyType, declared, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidArgumentException(
                    $"manifest declares media type \"{bodyType}\" but was served as \"{declared}\"", ErrorIds.MediaTypeMismatch) { Target = target };
            }

            // The body's own spelling wins when both are present (they differ at most in case).
            var effective = bodyType ?? (declaredUsable ? declared : Detect(root));
            if (effective is null)
            {
                throw Invalid("manifest has no \"mediaType\" and neither \"manifests\" nor \"config\"; cannot tell what it is", target);
            }
            if (MediaTypes.IsSchema1(effective))
            {
                throw Schema1(target);
            }
            if (!MediaTypes.IsIndex(effective) && !MediaTypes.IsManifest(effective))
            {
                throw Unsupported(effective, target);
            }

            if (MediaTypes.IsIndex(effective))
            {
                if (expect == Expect.Manifest)
                {
                    throw Invalid($"expected a manifest but got an index ({effective})", target);
                }
                RequireKind(root, "manifests", JsonValueKind.Array, "an index", target);
                Forbid(root, "config", "an index", target);
                Forbid(root, "layers", "an index", target);
                var index = Deserialize(root, OciJsonContext.Default.ImageIndex, target);
                for (var i = 0; i < index.Manifests.Count; i++)
                {
                    ValidateDescriptor(index.Manifests[i], $"manifests[{i}]", target);
                }
                ValidateDescriptor(index.Subject, "subject", target);
                return new ParsedManifest(effective, index, null);
            }

            if (expect == Expect.Index)
            {
                throw Invalid($"expected an index but got a manifest ({effective})", target);
            }
            RequireKind(root, "config", JsonValueKind.Object, "a manifest", target);
            Forbid(root, "manifests", "a manifest", target);
            if (root.TryGetProperty("layers", out var layers) && layers.ValueKind != JsonValueKind.Array)
            {
                throw Invalid($"manifest field \"layers\" must be an array, got {layers.ValueKind}", target);
            }
            var manifest = Deserialize(root, OciJsonContext.Default.Manifest, target);
            ValidateDescriptor(manifest.Config, "config", target);
            for (var i = 0; i < manifest.Layers.Count; i++)
            {
                ValidateDescriptor(manifest.Layers[i], $"layers[{i}]", target);
            }
            ValidateDescriptor(manifest.Subject, "subject", target);
            return new ParsedManifest(effective, null, manifest);
        }
    }

    private static JsonDocument ParseDocument(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions
        {
            AllowTrailingCommas = DocumentOptions.AllowTrailingCommas,
            CommentHandling = DocumentOptions.CommentHandling,
            MaxDepth = DocumentOptions.MaxDepth,
        });
        var document = JsonDocument.ParseValue(ref reader);
        // ParseValue stops after the first value; anything but white space after it is an error.
        try
        {
            if (reader.Read())
            {
                throw new JsonException($"unexpected data after the JSON value at byte {reader.TokenStartIndex}");
            }
        }
        catch
        {
            document.Dispose();
            throw;
        }
        return document;
    }

    private static string? Detect(JsonElement root)
    {
        if (root.TryGetProperty("mediaType", out var mediaType) && mediaType.ValueKind == JsonValueKind.String)
        {
            return mediaType.GetString();
        }
        var schemaOne = root.TryGetProperty("schemaVersion", out var version)
            && version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var v) && v == 1;
        if (schemaOne || root.TryGetProperty("fsLayers", out _))
        {
            return root.TryGetProperty("signatures", out _) ? MediaTypes.DockerSchema1SignedManifest : MediaTypes.DockerSchema1Manifest;
        }
        if (root.TryGetProperty("manifests", out _))
        {
            return MediaTypes.OciIndex;
        }
        if (root.TryGetProperty("config", out _) || root.TryGetProperty("layers", out _))
        {
            return MediaTypes.OciManifest;
        }
        return null;
    }

    private static void CheckSchemaVersion(JsonElement root, string? target)
    {
        if (!root.TryGetProperty("schemaVersion", out var version))
        {
            throw Invalid("manifest has no \"schemaVersion\"", target);
        }
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var value))
        {
            throw Invalid($"manifest field \"schemaVersion\" must be an integer, got {version.GetRawText()}", target);
        }
        if (value == 1)
        {
            throw Schema1(target);
        }
        if (value != 2)
        {
            throw Invalid($"manifest has schemaVersion {value}; only 2 is supported", target);
        }
    }

    private static void RequireKind(JsonElement root, string name, JsonValueKind kind, string what, string? target)
    {
        if (!root.TryGetProperty(name, out var element))
        {
            throw Invalid($"{what} must have \"{name}\"", target);
        }
        if (element.ValueKind != kind)
        {
            throw Invalid($"field \"{name}\" of {what} must be {(kind == JsonValueKind.Array ? "an array" : "an object")}, got {element.ValueKind}", target);
        }
    }

    private static void Forbid(JsonElement root, string name, string what, string? target)
    {
        if (root.TryGetProperty(name, out _))
        {
            throw Invalid($"{what} must not have \"{name}\"", target);
        }
    }

    private static T Deserialize<T>(JsonElement root, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, string? target)
        where T : class
    {
        try
        {
            return root.Deserialize(typeInfo) ?? throw Invalid("manifest is null", target);
        }
        catch (JsonException ex)
        {
            throw Invalid($"manifest is not valid: {ex.Message}", target, ex);
        }
    }

    private static void ValidateDescriptor(Descriptor? descriptor, string path, string? target)
    {
        if (descriptor is null)
        {
            return;
        }
        try
        {
            descriptor.Validate();
        }
        catch (InvalidArgumentException ex)
        {
            throw Invalid($"manifest descriptor {path} is invalid: {ex.Message}", target, ex);
        }
    }

    private static InvalidArgumentException Invalid(string message, string? target, Exception? inner = null) =>
        new(message, ErrorIds.InvalidManifest, inner) { Target = target };

    private static ResourceExhaustedException TooLarge(long size, string? target, bool atLeast = false) =>
        new(atLeast
                ? $"manifest is more than {MaxManifestSize} bytes; the limit is {MaxManifestSize} bytes (4 MiB)"
                : $"manifest is {size} bytes; the limit is {MaxManifestSize} bytes (4 MiB)",
            ErrorIds.ManifestTooLarge) { Target = target };

    private static UnimplementedException Schema1(string? target) =>
        new("Docker schema 1 manifests are not supported; the image must be pushed again with a current client (schema 2 or OCI)",
            ErrorIds.UnsupportedSchema1) { Target = target };

    private static UnimplementedException Unsupported(string mediaType, string? target) =>
        new($"media type \"{mediaType}\" is not an image index or manifest this engine can parse", ErrorIds.UnsupportedMediaType) { Target = target };
}
