using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Transfer.Copy;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Pushes an image of the content store to a registry: its blobs (mounted from the repositories they were pulled from when the registry is the same), its manifests, then its tags.</para>
/// </summary>
/// <remarks>
/// <c>Name</c> and <c>Store</c> bind by property name, so the records of <c>Get-Image</c> and the summaries
/// of <c>Save-ImageContent</c> pipe in as they are. Images are pushed one after the other, in input order.
/// </remarks>
[Cmdlet(VerbsData.Publish, "Image", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CopySummary))]
public sealed class PublishImageCommand : ImageCopyCmdlet
{
    /// <summary>The image record of the store to push (<c>Get-Image</c> lists them).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The registry repository to push to, with the tag to write (none: the record name's tag, else by digest only).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegistryHostCompleter))]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken) =>
        ForItemAsync(Name, async () =>
        {
            StoreImageLocation source = StoreLocation(ResolveStoreRoot(), Name, asSource: true);
            RegistryImageLocation destination = ImageLocation.Registry(Destination);
            await CopyOneAsync("Publish", Describe(source), destination.ToString(), async (tracker, token) =>
            {
                CopyResult result = await ImageCopy.PublishAsync(new PublishRequest
                {
                    Store = source.Store,
                    Name = source.Name,
                    Destination = destination.Reference,
                    Client = Client,
                    Tags = Tag,
                    Platforms = ChosenPlatforms,
                    PlatformAsManifest = PlatformAsManifest,
                    Force = Force,
                    MaxConcurrency = ThrottleLimit,
                    Tracker = tracker,
                }, token).ConfigureAwait(false);
                return new CopySummary(result, source, destination);
            }, cancellationToken).ConfigureAwait(false);
        });
}
