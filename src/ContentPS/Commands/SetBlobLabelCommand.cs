using System.Collections;
using System.Management.Automation;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Oci;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Sets, changes or removes labels of blobs in the content store.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "BlobLabel", SupportsShouldProcess = true)]
[OutputType(typeof(BlobInfo))]
public sealed class SetBlobLabelCommand : StoreCmdlet
{
    private Dictionary<string, string> _labels = [];

    /// <summary>Digests of the blobs to label.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DigestCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Digest { get; set; } = [];

    /// <summary>Labels to set; a key whose value is <c>$null</c> or empty is removed.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [AllowEmptyCollection]
    public Hashtable Label { get; set; } = [];

    /// <summary>Replaces every label of the blob with -Label instead of changing only the keys it names.</summary>
    [Parameter]
    public SwitchParameter Replace { get; set; }

    /// <summary>Writes the blob's information, with its labels after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        try
        {
            _labels = LabelArguments.Convert(Label);
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, ex.Target ?? Label);
        }

        return Task.CompletedTask;
    }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken) =>
        ForEachBlobAsync(Digest, async (store, digest, text) =>
        {
            ContentInfo current = await store.InfoAsync(digest, cancellationToken).ConfigureAwait(false);
            string change = _labels.Count == 0
                ? (Replace ? "Remove every label" : "Change no label")
                : (Replace ? "Replace the labels with " : "Set labels ") + string.Join(", ", _labels.Select(pair => pair.Value.Length == 0 ? $"-{pair.Key}" : $"{pair.Key}={pair.Value}"));
            if (!ShouldProcess(text, change)) return;

            IReadOnlyList<string>? paths = Replace ? null : _labels.Keys.Select(key => "labels." + key).ToList();
            Dictionary<string, string> labels = Replace ? _labels.Where(pair => pair.Value.Length > 0).ToDictionary() : _labels;
            ContentInfo updated = paths is { Count: 0 }
                ? current
                : await store.UpdateAsync(current with { Labels = labels }, paths, cancellationToken).ConfigureAwait(false);
            if (PassThru) WriteObject(new BlobInfo(updated, store.Root));
        }, cancellationToken);
}
