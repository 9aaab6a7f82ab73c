using System.Management.Automation;
using ContentPS.Engine.Content;
using ContentPS.Engine.Errdefs;
using ContentPS.Engine.Filters;
using ContentPS.Engine.Oci;

namespace ContentPS.Commands;

/// <summary>
/// <para type="synopsis">Gets the blobs of the content store: digest, size, times and labels.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "Blob")]
[OutputType(typeof(BlobInfo))]
public sealed class GetBlobCommand : StoreCmdlet
{
    private Filter _filter = Engine.Filters.Filter.All;

    /// <summary>Digests of the blobs to get; wildcards match the store's digests. Without it, every blob.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DigestCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Digest { get; set; }

    /// <summary>containerd filters (<c>labels.team==x</c>, <c>digest~=^sha256:</c>); a blob is written when it matches any of them.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Filter { get; set; }

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        try
        {
            _filter = Engine.Filters.Filter.Parse(Filter);
        }
        catch (ClassifiedException ex)
        {
            ThrowTerminatingError(ex, Filter is { Length: 1 } ? Filter[0] : Filter);
        }

        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        if (Digest is null)
        {
            IContentStore? all = OpenExistingStore();
            if (all is null) return;
            await foreach (ContentInfo info in all.WalkAsync(Filter, cancellationToken).ConfigureAwait(false))
            {
                WriteObject(new BlobInfo(info, all.Root));
            }

            return;
        }

        IContentStore? store = OpenExistingStore();
        foreach (string text in Digest)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (WildcardPattern.ContainsWildcardCharacters(text))
            {
                if (store is null) continue;
                var pattern = new WildcardPattern(text, WildcardOptions.IgnoreCase);
                await foreach (ContentInfo info in store.WalkAsync(Filter, cancellationToken).ConfigureAwait(false))
                {
                    string digest = info.Digest.ToString();
                    if (pattern.IsMatch(digest) || pattern.IsMatch(info.Digest.Encoded))
                    {
                        WriteObject(new BlobInfo(info, store.Root));
                    }
                }

                continue;
            }

            Digest? parsed = ParseDigestOrWriteError(text);
            if (parsed is null) continue;
            if (store is null)
            {
                WriteError(NoSuchBlob(parsed), text);
                continue;
            }

            try
            {
                ContentInfo info = await store.InfoAsync(parsed, cancellationToken).ConfigureAwait(false);
                if (_filter.Match(ContentFieldAdaptors.For(info)))
                {
                    WriteObject(new BlobInfo(info, store.Root));
                }
            }
            catch (ClassifiedException ex) when (ex.Class != ErrorClass.Canceled)
            {
                WriteError(ex, text);
            }
        }
    }
}
