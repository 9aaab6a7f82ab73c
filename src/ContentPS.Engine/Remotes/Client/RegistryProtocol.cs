using System.Net.Http.Headers;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Engine.Remotes.Client;

/// <summary>Reading the headers the distribution API defines, and the error for a registry that breaks the API.</summary>
internal static class RegistryProtocol
{
    public const string ContentDigestHeader = "Docker-Content-Digest";
    public const string ChunkMinLengthHeader = "OCI-Chunk-Min-Length";
    public const string FiltersAppliedHeader = "OCI-Filters-Applied";

    /// <summary>An answer the distribution API does not allow (no <c>Location</c>, a wrong <c>Content-Range</c>): no errdefs class fits, so Unknown, with the registry as the culprit.</summary>
    public static ClassifiedException Violation(string message, object? target) =>
        Errors.New(ErrorClass.Unknown, message, ErrorIds.RegistryError, target: target);

    /// <summary>The <c>Docker-Content-Digest</c> header; null when absent; a violation when it is not a digest.</summary>
    public static Digest? ContentDigest(HttpResponseMessage response, object? target)
    {
        if (!response.Headers.TryGetValues(ContentDigestHeader, out var values))
        {
            return null;
        }

        var text = values.FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return Digest.TryParse(text, out var digest)
            ? digest
            : throw Violation($"the registry sent \"{text}\" as {ContentDigestHeader}, which is not a digest", target);
    }

    /// <summary>The declared body length, or null when the body is chunked or the length is unknown.</summary>
    public static long? ContentLength(HttpResponseMessage response) => response.Content.Headers.ContentLength;

    /// <summary>The <c>Content-Type</c> media type without parameters, or null.</summary>
    public static string? ContentType(HttpResponseMessage response)
    {
        var type = MediaTypes.StripParameters(response.Content.Headers.ContentType?.MediaType);
        return type.Length == 0 ? null : type;
    }

    /// <summary>The <c>Location</c> of an upload answer as an absolute URL (relative ones are resolved against the request).</summary>
    public static Uri Location(HttpResponseMessage response, Uri requestUri, object? target)
    {
        var location = response.Headers.Location
            ?? throw Violation($"the registry answered {(int)response.StatusCode} without a Location for the upload", target);
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage?.RequestUri ?? requestUri, location);
    }

    /// <summary>A positive integer header value (<c>OCI-Chunk-Min-Length</c>), or null.</summary>
    public static long? PositiveInteger(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), out var value) && value > 0 ? value : null;
}
