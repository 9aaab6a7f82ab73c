using System.Management.Automation;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Removes (aborts) partial writes from the content store.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "BlobIngest", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class RemoveBlobIngestCommand : StoreCmdlet
{
    /// <summary>Refs of the ingests to remove (alias -Ref, which also binds the Ref property of Get-BlobIngest output).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Ref")]
    [ValidateNotNullOrEmpty]
    public string[] Reference { get; set; } = [];

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        IContentStore? store = OpenExistingStore();
        foreach (string reference in Reference)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (store is null)
            {
                WriteError(new NotFoundException($"ingest ref {reference}: not found (there is no store at {ResolveStoreRoot()})", ErrorIds.IngestNotFound) { Target = reference }, reference);
                continue;
            }

            try
            {
                IngestStatus status = await store.StatusAsync(reference, cancellationToken).ConfigureAwait(false);
                if (!ShouldProcess(reference, $"Remove the partial write ({status.Offset} bytes) from the content store {store.Root}")) continue;
                await store.AbortAsync(reference, cancellationToken).ConfigureAwait(false);
                WriteVerbose($"Removed ingest {reference}.");
            }
            catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
            {
                WriteError(ex, reference);
            }
        }
    }
}
