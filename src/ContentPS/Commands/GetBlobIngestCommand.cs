using System.Management.Automation;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Gets the in-progress and interrupted writes (ingests) of the content store.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BlobIngest")]
[OutputType(typeof(BlobIngestInfo))]
public sealed class GetBlobIngestCommand : StoreCmdlet
{
    /// <summary>containerd filters on ref, offset, total, expected … (<c>ref~=^import:</c>); an ingest is written when it matches any of them.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Filter { get; set; }

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        try
        {
            Engine.Filters.Filter.Parse(Filter);
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, Filter is { Length: 1 } ? Filter[0] : Filter);
        }

        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        IContentStore? store = OpenExistingStore();
        if (store is null) return;
        foreach (IngestStatus status in await store.ListStatusesAsync(Filter, cancellationToken).ConfigureAwait(false))
        {
            WriteObject(new BlobIngestInfo(status, store.Root));
        }
    }
}
