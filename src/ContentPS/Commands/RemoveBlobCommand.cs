using System.Management.Automation;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Removes blobs from the content store.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "Blob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveBlobCommand : StoreCmdlet
{
    /// <summary>Digests of the blobs to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DigestCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Digest { get; set; } = [];

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken) =>
        ForEachBlobAsync(Digest, async (store, digest, text) =>
        {
            ContentInfo info = await store.InfoAsync(digest, cancellationToken).ConfigureAwait(false);
            if (!ShouldProcess(text, $"Remove blob ({info.Size} bytes) from the content store {store.Root}")) return;
            await store.DeleteAsync(digest, cancellationToken).ConfigureAwait(false);
            WriteVerbose($"Removed {text}.");
        }, cancellationToken);
}
