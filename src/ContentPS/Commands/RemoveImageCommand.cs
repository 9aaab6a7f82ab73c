using System.Management.Automation;
using ContentPS.Completion;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Images;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Removes image records from the content store; the content they point to stays.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "Image", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ImageInfo))]
public sealed class RemoveImageCommand : StoreCmdlet
{
    /// <summary>Names of the records to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Writes the removed records.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        IContentStore? store = OpenExistingStore();
        foreach (string text in Name)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (store is null)
                {
                    throw new NotFoundException($"image \"{text}\" not found (there is no store at {ResolveStoreRoot()})", ErrorIds.ImageNotFound) { Target = text };
                }

                var records = new ImageRecordStore(store.Root);
                ImageRecord record = await records.GetAsync(text, cancellationToken).ConfigureAwait(false);
                if (!ShouldProcess(text, $"Remove image record ({record.Target.Digest}) from the content store {store.Root}")) continue;
                await records.DeleteAsync(text, cancellationToken).ConfigureAwait(false);
                WriteVerbose($"Removed {text}.");
                if (PassThru) WriteObject(new ImageInfo(record, store.Root));
            }
            catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
            {
                WriteError(ex, text);
            }
        }
    }
}
