using ContentPS.Engine.Oci;

namespace ContentPS;

/// <summary>
/// What <c>Test-ImageContent</c> found for one image record of a store: which blobs the image needs for the
/// platforms checked, and how many of them are present, missing or corrupt. An incomplete image is a result
/// with <see cref="Complete"/> false, not an error.
/// </summary>
public sealed class ImageCheckResult
{
    internal ImageCheckResult(string name, Descriptor root, string store, IReadOnlyList<string> platforms, bool allPlatforms, bool verified,
        IReadOnlyList<Descriptor> required, IReadOnlyList<Descriptor> present, IReadOnlyList<Descriptor> missing,
        IReadOnlyList<CorruptBlobInfo> corrupt, IReadOnlyList<string> unmatchedPlatforms, bool available)
    {
        Name = name;
        Digest = root.Digest.ToString();
        MediaType = root.MediaType;
        Store = store;
        Platform = [.. platforms];
        AllPlatforms = allPlatforms;
        Verified = verified;
        Required = required.Count;
        Present = present.Count;
        Missing = missing.Count;
        Corrupt = corrupt.Count;
        RequiredBytes = required.Sum(d => d.Size);
        MissingBytes = missing.Sum(d => d.Size) + corrupt.Sum(c => c.Size);
        MissingDescriptors = [.. missing.Select(d => new BlobDescriptor { MediaType = d.MediaType, Digest = d.Digest.ToString(), Size = d.Size, Store = store })];
        CorruptDescriptors = [.. corrupt];
        UnmatchedPlatform = [.. unmatchedPlatforms];
        Available = available;
    }

    /// <summary>The image record's name.</summary>
    public string Name { get; }

    /// <summary>The digest of the record's target (the root index or manifest).</summary>
    public string Digest { get; }

    /// <summary>The media type of the record's target.</summary>
    public string MediaType { get; }

    /// <summary>The store root the record is in.</summary>
    public string Store { get; }

    /// <summary>The platforms checked (<c>linux/amd64</c>); empty with <see cref="AllPlatforms"/>.</summary>
    public string[] Platform { get; }

    /// <summary>Every manifest of the image was checked, whatever its platform.</summary>
    public bool AllPlatforms { get; }

    /// <summary>Present configs and layers were re-hashed (<c>-Verify</c>); indexes and manifests always are.</summary>
    public bool Verified { get; }

    /// <summary>
    /// Every blob the image needs for the platforms is present (and sound), every index and manifest on the way
    /// could be read, and every platform checked has a manifest.
    /// </summary>
    public bool Complete => Available && Missing == 0 && Corrupt == 0;

    /// <summary>
    /// Every index and manifest on the way is present and sound and each platform has a manifest. When false, what
    /// lies below a missing or corrupt index or manifest is unknown, so <see cref="Required"/> counts only what
    /// could be seen.
    /// </summary>
    public bool Available { get; }

    /// <summary>Blobs the image needs for the platforms: indexes, manifests, configs and layers (each digest once).</summary>
    public int Required { get; }

    /// <summary>Required blobs that are in the store (with <c>-Verify</c>: and hash to their digest).</summary>
    public int Present { get; }

    /// <summary>Required blobs that are not in the store.</summary>
    public int Missing { get; }

    /// <summary>Required blobs that are in the store but are not what their descriptor says (size, digest, or an index or manifest that does not parse).</summary>
    public int Corrupt { get; }

    /// <summary>The size of every required blob, in bytes.</summary>
    public long RequiredBytes { get; }

    /// <summary>Bytes to fetch to make the image complete: the sizes of the missing and the corrupt blobs.</summary>
    public long MissingBytes { get; }

    /// <summary>The missing blobs, as descriptors (they bind by property name to the blob cmdlets).</summary>
    public BlobDescriptor[] MissingDescriptors { get; }

    /// <summary>The corrupt blobs, each with the reason.</summary>
    public CorruptBlobInfo[] CorruptDescriptors { get; }

    /// <summary>Platforms checked for which no index entry matched (the image does not offer them).</summary>
    public string[] UnmatchedPlatform { get; }

    public override string ToString() => $"{Name}: {(Complete ? "complete" : "incomplete")}";
}
