using System.Collections;
using System.ComponentModel;
using System.Management.Automation;

namespace ContentPS.Formatting;

/// <summary>
/// Getters of the OCI-named properties that <c>ContentPS.Types.ps1xml</c> adds to the output types, so
/// <c>ConvertTo-Json</c> writes <c>mediaType</c>, <c>digest</c>, <c>os.version</c> … as the OCI specs name them.
/// </summary>
/// <remarks>
/// ConvertTo-Json takes .NET property names by reflection and cannot rename them, but it skips properties
/// marked <c>[Newtonsoft.Json.JsonIgnore]</c> and adds the type's extended (ETS) properties. So each OCI field
/// is a .NET property marked JsonIgnore plus an ETS code property under the OCI name; PowerShell names are
/// case-insensitive, so <c>$d.Digest</c> and <c>$d.digest</c> both read it.
/// ConvertTo-Json only adds ETS properties to objects that are already wrapped in a PSObject, which is why
/// nested OCI objects (config, layers, manifests, subject, platform) are returned wrapped.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OciJsonProperties
{
    public static string MediaType(PSObject instance) => instance.BaseObject switch
    {
        DescriptorInfo descriptor => descriptor.MediaType,
        ImageDocumentInfo document => document.MediaType,
        ResolvedReferenceInfo resolved => resolved.MediaType,
        ImageInfo image => image.MediaType,
        BlobDescriptor blob => blob.MediaType,
        var other => throw Unexpected(other),
    };

    public static string Digest(PSObject instance) => instance.BaseObject switch
    {
        DescriptorInfo descriptor => descriptor.Digest,
        ResolvedReferenceInfo resolved => resolved.Digest,
        ImageInfo image => image.Digest,
        BlobDescriptor blob => blob.Digest,
        var other => throw Unexpected(other),
    };

    public static long Size(PSObject instance) => instance.BaseObject switch
    {
        DescriptorInfo descriptor => descriptor.Size,
        ResolvedReferenceInfo resolved => resolved.Size,
        ImageInfo image => image.Size,
        BlobDescriptor blob => blob.Size,
        var other => throw Unexpected(other),
    };

    public static string? ArtifactType(PSObject instance) => instance.BaseObject switch
    {
        DescriptorInfo descriptor => descriptor.ArtifactType,
        ImageDocumentInfo document => document.ArtifactType,
        var other => throw Unexpected(other),
    };

    public static Hashtable Annotations(PSObject instance) => instance.BaseObject switch
    {
        DescriptorInfo descriptor => descriptor.Annotations,
        ImageDocumentInfo document => document.Annotations,
        ImageInfo image => image.Annotations,
        var other => throw Unexpected(other),
    };

    public static string[] Urls(PSObject instance) => As<DescriptorInfo>(instance).Urls;

    public static int SchemaVersion(PSObject instance) => As<ImageDocumentInfo>(instance).SchemaVersion;

    public static PSObject? Subject(PSObject instance) => Wrap(As<ImageDocumentInfo>(instance).Subject);

    public static PSObject Config(PSObject instance) => Wrap(As<ImageManifestInfo>(instance).Config)!;

    public static PSObject[] Layers(PSObject instance) => WrapAll(As<ImageManifestInfo>(instance).Layers);

    public static PSObject[] Manifests(PSObject instance) => WrapAll(As<ImageIndexInfo>(instance).Manifests);

    public static PSObject? Platform(PSObject instance) => instance.BaseObject switch
    {
        DescriptorInfo descriptor => Wrap(descriptor.Platform),
        ImageManifestInfo manifest => Wrap(manifest.Platform),
        var other => throw Unexpected(other),
    };

    public static string Architecture(PSObject instance) => As<ImagePlatformInfo>(instance).Architecture;

    public static string OS(PSObject instance) => As<ImagePlatformInfo>(instance).OS;

    public static string? OSVersion(PSObject instance) => As<ImagePlatformInfo>(instance).OSVersion;

    public static string[] OSFeatures(PSObject instance) => As<ImagePlatformInfo>(instance).OSFeatures;

    public static string? Variant(PSObject instance) => As<ImagePlatformInfo>(instance).Variant;

    private static T As<T>(PSObject instance) where T : class =>
        instance.BaseObject as T ?? throw Unexpected(instance.BaseObject);

    private static PSObject? Wrap(object? value) => value is null ? null : PSObject.AsPSObject(value);

    private static PSObject[] WrapAll(object[] values) => Array.ConvertAll(values, PSObject.AsPSObject);

    private static ArgumentException Unexpected(object value) =>
        new($"ContentPS.Types.ps1xml binds an OCI property to {value.GetType().FullName}, which does not have it.");
}
