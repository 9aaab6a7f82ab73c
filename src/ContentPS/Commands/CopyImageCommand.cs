using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;
using ContentPS.Engine.Oci;
using ContentPS.Engine.Transfer.Copy;
using ContentPS.Internal;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Copies an image, with all its platforms or some, and optionally its referrers, from a registry to another repository or registry, or between a registry and the content store.</para>
/// </summary>
/// <remarks>
/// <c>InputObject</c> is the default parameter set, as for <c>Save-ImageContent</c>, so piped strings,
/// <c>ConvertTo-ImageReference</c> objects, <c>Get-ImageManifest</c> documents and <c>Get-Image</c>
/// records are all taken by <see cref="InputObject"/> and read by their type. Images are copied one after
/// the other, in input order; each copy runs its requests in parallel.
/// </remarks>
[Cmdlet(VerbsCommon.Copy, "Image", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CopySummary))]
public sealed class CopyImageCommand : ImageCopyCmdlet
{
    private const string SourceSet = "Source";
    private const string InputObjectSet = "InputObject";

    /// <summary>The image to copy: a reference (<c>registry.example/app:v1</c>, <c>repo@sha256:…</c>) or <c>store:&lt;name&gt;</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = SourceSet)]
    [Alias("Reference")]
    [ArgumentCompleter(typeof(ImageLocationCompleter))]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = "";

    /// <summary>What to copy, from the pipeline: reference strings, objects with a <c>Reference</c>, documents and descriptors of <c>Get-ImageManifest</c>, records of <c>Get-Image</c>.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public object[] InputObject { get; set; } = [];

    /// <summary>Where to copy to: a repository (<c>registry.example/mirror/app</c>, keeps the source's tag), a reference with a tag, or <c>store:[&lt;name&gt;]</c>.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageLocationCompleter))]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>Copies the manifests that refer to the image (signatures, SBOMs, attestations) and theirs, through the referrers API or its tag schema.</summary>
    [Parameter]
    public SwitchParameter IncludeReferrers { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        if (ParameterSetName == SourceSet)
        {
            await CopyAsync(Source, () => FromText(Source, null), cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (object item in InputObject)
        {
            object value = PSObject.AsPSObject(item).BaseObject;
            await CopyAsync(value, () => FromObject(item), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies one input; its failures (a source or destination that does not parse included) are its own non-terminating errors.</summary>
    private Task CopyAsync(object target, Func<ImageLocation> readSource, CancellationToken cancellationToken)
    {
        string shown = target as string ?? target.ToString() ?? "";
        return ForItemAsync(shown, async () =>
        {
            ImageLocation source = readSource();
            (string to, Func<ImageLocation> openDestination) = ReadDestination(source);
            await CopyOneAsync("Copy", Describe(source), to, async (tracker, token) =>
            {
                ImageLocation destination = openDestination();
                CopyResult result = await ImageCopy.CopyAsync(NewRequest(source, destination, tracker) with
                {
                    Client = Client,
                    IncludeReferrers = IncludeReferrers,
                }, token).ConfigureAwait(false);
                return new CopySummary(result, source, destination);
            }, cancellationToken).ConfigureAwait(false);
        });
    }

    private ImageLocation FromText(string text, string? storeRoot) =>
        StoreLocationSyntax.TryParse(text, out string name)
            ? StoreLocation(ResolveStoreRoot(storeRoot), name, asSource: true)
            : ImageLocation.Registry(text);

    /// <summary>Records are store images; documents and descriptors are copied by their digest; strings and <c>Reference</c> properties are locations.</summary>
    private ImageLocation FromObject(object item)
    {
        var wrapped = PSObject.AsPSObject(item);
        return wrapped.BaseObject switch
        {
            string text => FromText(text, null),
            ImageInfo record => StoreLocation(record.Store, record.Name, asSource: true),
            ImageDocumentInfo document => ByDigest(document.Reference, document.MediaType, document.Digest),
            DescriptorInfo descriptor => ByDigest(descriptor.Reference, descriptor.MediaType, descriptor.Digest),
            _ => FromText(wrapped.Properties["Reference"]?.Value as string ?? throw new InvalidArgumentException(
                $"Copy-Image takes references, store:<name>, or what Get-Image, Get-ImageManifest and ConvertTo-ImageReference write, not a {wrapped.BaseObject.GetType().FullName} without a Reference",
                ErrorIds.InvalidArgument), null),
        };
    }

    // A document was read for its reference: the copy takes that very document, by its digest (a tag may name an index around it).
    private static RegistryImageLocation ByDigest(string reference, string mediaType, string digest)
    {
        if (!MediaTypes.IsIndex(mediaType) && !MediaTypes.IsManifest(mediaType))
        {
            throw new InvalidArgumentException($"{reference} is a {mediaType}, not an image (manifest or index): Copy-Image copies images; use Copy-Blob for blobs",
                ErrorIds.InvalidMediaType) { Target = reference };
        }

        return ImageLocation.Registry($"{ImageReference.Parse(reference).FullName}@{digest}");
    }

    /// <summary>
    /// The destination for <paramref name="source"/>, as shown, and how to open it (a store is created only
    /// when written to). <c>store:</c> alone takes the source's name (a reference: normalized, with its tag).
    /// </summary>
    private (string Shown, Func<ImageLocation> Open) ReadDestination(ImageLocation source)
    {
        if (!StoreLocationSyntax.TryParse(Destination, out string name))
        {
            RegistryImageLocation registry = ImageLocation.Registry(Destination);
            return (registry.ToString(), () => registry);
        }

        if (name.Length == 0)
        {
            name = source is RegistryImageLocation from ? from.Reference.WithDefaultTag().ToString() : ((StoreImageLocation)source).Name;
        }

        ImageName.Validate(name);
        string root = ResolveStoreRoot();
        return (DescribeStore(root, name), () => StoreLocation(root, name, asSource: false));
    }
}
