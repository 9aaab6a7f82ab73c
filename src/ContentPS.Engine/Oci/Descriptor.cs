using System.Text.Json.Serialization;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Engine.Oci;

/// <summary>An OCI content descriptor: what a piece of content is, its digest and size, and where to find it.</summary>
public sealed class Descriptor
{
    [JsonPropertyName("mediaType")]
    public required string MediaType { get; init; }

    [JsonPropertyName("digest")]
    public required Digest Digest { get; init; }

    [JsonPropertyName("size")]
    public required long Size { get; init; }

    [JsonPropertyName("urls")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Urls { get; init; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("platform")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Platform? Platform { get; init; }

    [JsonPropertyName("artifactType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    /// <summary>The embedded content itself (base64 in JSON), when present; must match digest and size.</summary>
    [JsonPropertyName("data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public byte[]? Data { get; init; }

    /// <summary>
    /// Checks what a descriptor read from untrusted JSON must satisfy: a digest, a size ≥ 0, a media
    /// type of RFC 6838 shape, a platform (if any) with architecture and os and, when <see cref="Data"/> is present, data that matches size and digest.
    /// Shape errors are <see cref="InvalidArgumentException"/> (<c>InvalidDescriptor</c>); embedded data
    /// that does not match is <see cref="FailedPreconditionException"/> (<c>SizeMismatch</c>/<c>DigestMismatch</c>).
    /// </summary>
    public void Validate()
    {
        if (Digest is null)
        {
            throw new InvalidArgumentException("descriptor has no digest", ErrorIds.InvalidDescriptor);
        }
        if (Size < 0)
        {
            throw new InvalidArgumentException($"descriptor {Digest} has a negative size {Size}", ErrorIds.InvalidDescriptor) { Target = Digest.ToString() };
        }
        if (!MediaTypes.IsValid(MediaType))
        {
            try
            {
                MediaTypes.Validate(MediaType);
            }
            catch (InvalidArgumentException ex)
            {
                throw new InvalidArgumentException($"descriptor {Digest}: {ex.Message}", ErrorIds.InvalidDescriptor, ex) { Target = Digest.ToString() };
            }
        }
        // Platform's "" defaults do not survive source-generated deserialization: absent means null here.
        if (Platform is not null && (string.IsNullOrEmpty(Platform.Architecture) || string.IsNullOrEmpty(Platform.OS)))
        {
            throw new InvalidArgumentException(
                $"descriptor {Digest} has a platform without \"architecture\" or \"os\"", ErrorIds.InvalidDescriptor) { Target = Digest.ToString() };
        }
        VerifyData();
    }

    /// <summary>
    /// When <see cref="Data"/> is present, checks its length against <see cref="Size"/> and its digest
    /// against <see cref="Digest"/>; <see cref="UnimplementedException"/> when the digest algorithm cannot be computed.
    /// </summary>
    public void VerifyData()
    {
        if (Data is null)
        {
            return;
        }
        if (Data.LongLength != Size)
        {
            throw new FailedPreconditionException(
                $"descriptor {Digest}: embedded data is {Data.LongLength} bytes, size says {Size}", ErrorIds.SizeMismatch) { Target = Digest.ToString() };
        }
        Digest.Verify(Data);
    }

    /// <summary>A descriptor of <paramref name="content"/>: its sha256 (or <paramref name="algorithm"/>) digest and length.</summary>
    public static Descriptor FromContent(string mediaType, ReadOnlySpan<byte> content, string algorithm = Oci.Digest.Sha256)
    {
        MediaTypes.Validate(mediaType);
        return new Descriptor { MediaType = mediaType, Digest = Oci.Digest.FromBytes(content, algorithm), Size = content.Length };
    }

    public override string ToString() => $"{MediaType} {Digest} {Size}";
}
